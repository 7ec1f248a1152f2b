package org.tribuo.usae.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

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
        try {
            write(target, bytes, UnaryOperator.identity());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The one crash-safe write of the project (models, reports, JSON, manifests, checkpoints): the target
     * is afterwards the old file, absent, or the whole new content.
     *
     * @param target  the file to (re)place.
     * @param bytes   its full content.
     * @param channel wraps the temp file's channel: a seam for tests that fail mid-write (a full disk).
     * @throws IOException when writing fails; the temp file is removed and the target left as it was.
     */
    public static void write(Path target, byte[] bytes, UnaryOperator<WritableByteChannel> channel) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        OutputPaths.requireReplaceable(target.toString(), abs);
        Files.createDirectories(dir);
        // ".<name>.<random>.tmp": never a name any reader of the folder looks for
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean published = false;
        try {
            makeReadable(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                WritableByteChannel out = channel.apply(ch);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                ch.force(true);
            }
            publish(tmp, abs);
            published = true;
        } finally {
            if (!published) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * The last step of a crash-safe write, for writers that stream into their own temp file (NpyWriter):
     * atomically renames the synced, closed temp file to the target, then syncs the folder so the rename
     * itself survives a crash.
     *
     * @param tmp    a closed temp file in the target's folder whose content was forced to disk.
     * @param target the file to (re)place; anything but a regular file there is refused.
     * @throws IOException when the rename fails (the temp file is left for the caller to remove).
     */
    public static void publish(Path tmp, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        OutputPaths.requireReplaceable(target.toString(), abs);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileSync.syncDirectory(abs.getParent());
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
