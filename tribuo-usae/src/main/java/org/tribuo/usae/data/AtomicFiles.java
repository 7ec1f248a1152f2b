package org.tribuo.usae.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Crash-safe file writes: a temp file in the target's folder, fsync, then an atomic rename, so a
 * reader sees either the old file or the whole new one, never a half-written one. A target that
 * exists as anything but a regular file (a device, a named pipe, a folder, a symbolic link) is
 * refused rather than replaced ({@link OutputPaths#requireReplaceable}).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * @param target the file to (re)place.
     * @param bytes its full content.
     * @throws UncheckedIOException naming the target when writing fails; the temp file is removed.
     */
    public static void write(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        OutputPaths.requireReplaceable(target.toString(), abs);
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            makeReadable(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            FileSync.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the failure above is the error worth reporting
                }
            }
        }
    }

    /**
     * Temp files are created owner-only (0600); outputs (reports, models, JSON) are meant to be shared
     * like any file the user writes, so they get rw-r--r-- where the file system has POSIX permissions.
     */
    private static void makeReadable(Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // e.g. Windows: the temp file already has the user's default ACL
        }
    }

    /** @param target the file. @param text its UTF-8 content. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
