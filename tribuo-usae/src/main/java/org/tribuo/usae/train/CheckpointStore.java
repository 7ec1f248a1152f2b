package org.tribuo.usae.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Writes checkpoint files crash-safely: a temp file in the target folder (named
 * {@code .<target>.<random>.tmp}, which never matches the checkpoint pattern), fsync, atomic rename,
 * then fsync of the folder. The target is either the old file, absent, or the whole new file.
 * The channel the bytes go through is a seam: tests wrap it to fail mid-write (disk full).
 */
public final class CheckpointStore {
    private final UnaryOperator<WritableByteChannel> channelWrapper;

    private CheckpointStore(UnaryOperator<WritableByteChannel> channelWrapper) {
        this.channelWrapper = channelWrapper;
    }

    /** @return the store that writes files as they are. */
    public static CheckpointStore atomic() {
        return new CheckpointStore(UnaryOperator.identity());
    }

    /**
     * @param wrapper wraps the temp file's channel (fault injection in tests).
     * @return a store writing through the wrapped channel.
     */
    public static CheckpointStore withChannel(UnaryOperator<WritableByteChannel> wrapper) {
        return new CheckpointStore(wrapper);
    }

    /**
     * @param target the file to create or replace.
     * @param bytes its content.
     * @throws IOException when writing fails; the temp file is removed and the target left as it was.
     */
    public void write(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        org.tribuo.usae.data.OutputPaths.requireReplaceable(target.toString(), abs);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                WritableByteChannel out = channelWrapper.apply(ch);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms (Windows) cannot open or sync a directory; the rename is still atomic
        }
    }
}
