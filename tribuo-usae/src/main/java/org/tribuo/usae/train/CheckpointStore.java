package org.tribuo.usae.train;

import org.tribuo.usae.data.AtomicFiles;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Writes checkpoint files crash-safely through {@link AtomicFiles#write(Path, byte[], UnaryOperator)} (its temp
 * file {@code .<target>.<random>.tmp} never matches the checkpoint pattern). The channel the bytes go through
 * is a seam: tests wrap it to fail mid-write (disk full).
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
        AtomicFiles.write(target, bytes, channelWrapper);
    }
}
