package org.tribuo.usae.data;

/**
 * Where a {@link BatchStream} stands: the next batch starts at {@code offset} in epoch
 * {@code epoch}'s permutation. Enough to resume a stream exactly (checkpoints).
 *
 * @param epoch  0-based epoch.
 * @param offset position within the epoch's permutation, in rows.
 */
public record StreamPosition(long epoch, long offset) {
    public StreamPosition {
        if (epoch < 0 || offset < 0) {
            throw new IllegalArgumentException("stream position must be non-negative, got (" + epoch + ", " + offset + ")");
        }
    }
}
