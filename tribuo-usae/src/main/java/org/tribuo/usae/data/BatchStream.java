package org.tribuo.usae.data;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * An endless stream of shuffled mini-batches over rows {@code [from, to)} of an activation set,
 * reading only the rows each batch needs.
 *
 * <p>Epoch e visits every row of the range once, in a permutation that depends only on (seed, e),
 * so a stream is reproducible and can be resumed at any {@link StreamPosition}. With
 * {@code dropLast} the final short batch of an epoch is skipped, otherwise it is returned short.
 * Every batch is checked for NaN and Inf.
 *
 * <p>Limit: the range may hold at most 2^31-1 rows (the permutation is an int array of that size,
 * 4 bytes per row); larger sets will need sharding.
 */
public final class BatchStream implements Iterator<Batch> {
    private final ActivationSet set;
    private final int batchSize;
    private final long seed;
    private final long from;
    private final int n;
    private final boolean dropLast;
    private final int epochEnd;
    private long epoch = -1;
    private int[] perm;
    private int offset;

    /**
     * A stream over all rows.
     *
     * @param set       the data.
     * @param batchSize rows per batch.
     * @param seed      shuffling seed.
     * @param dropLast  skip the short last batch of each epoch.
     */
    public BatchStream(ActivationSet set, int batchSize, long seed, boolean dropLast) {
        this(set, batchSize, seed, 0, set.rows(), dropLast);
    }

    /**
     * A stream over rows {@code [from, to)}, so callers can hold out the rest.
     *
     * @param set       the data.
     * @param batchSize rows per batch.
     * @param seed      shuffling seed.
     * @param from      first row, inclusive.
     * @param to        last row, exclusive.
     * @param dropLast  skip the short last batch of each epoch.
     */
    public BatchStream(ActivationSet set, int batchSize, long seed, long from, long to, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (from < 0 || to > set.rows() || from >= to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") must be non-empty and inside [0, "
                    + set.rows() + ")");
        }
        if (to - from > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") holds more than 2^31-1 rows; shard the set");
        }
        this.n = (int) (to - from);
        if (dropLast && n < batchSize) {
            throw new IllegalArgumentException("dropLast with " + n + " rows and batchSize " + batchSize
                    + " yields no batches");
        }
        this.set = set;
        this.batchSize = batchSize;
        this.seed = seed;
        this.from = from;
        this.dropLast = dropLast;
        this.epochEnd = dropLast ? n - n % batchSize : n;
        seek(new StreamPosition(0, 0));
    }

    /** @return batches per epoch. */
    public int batchesPerEpoch() {
        return (epochEnd + batchSize - 1) / batchSize;
    }

    /** @return the position of the next batch. */
    public StreamPosition position() {
        if (offset >= epochEnd) {
            return new StreamPosition(epoch + 1, 0);
        }
        return new StreamPosition(epoch, offset);
    }

    /**
     * Continues exactly where a stream with the same set, seed and settings was at {@code p}.
     *
     * @param p a position from {@link #position()}.
     */
    public void seek(StreamPosition p) {
        if (p.offset() > epochEnd) {
            throw new IllegalArgumentException("offset " + p.offset() + " is past the epoch end " + epochEnd);
        }
        if (p.epoch() != epoch) {
            epoch = p.epoch();
            perm = permutation(seed, epoch, n);
        }
        offset = (int) p.offset();
    }

    /** @param epoch epoch. @param offset offset. Same as {@code seek(new StreamPosition(epoch, offset))}. */
    public void seek(long epoch, long offset) {
        seek(new StreamPosition(epoch, offset));
    }

    /** Always true: the stream is endless; callers stop after as many steps as they need. */
    @Override
    public boolean hasNext() {
        return true;
    }

    /**
     * @return the next batch with every model's rows.
     * @throws ActivationSetException naming the model's file, row and column if a value is NaN or Inf.
     */
    @Override
    public Batch next() {
        if (offset >= epochEnd) {
            seek(epoch + 1, 0);
        }
        int len = Math.min(batchSize, epochEnd - offset);
        long[] ids = new long[len];
        for (int i = 0; i < len; i++) {
            ids[i] = from + perm[offset + i];
        }
        offset += len;
        Batch b = set.batch(ids);
        requireFinite(set, b);
        return b;
    }

    /**
     * @param set the set the batch came from (names the files in errors).
     * @param b a batch of that set, in the set's model order.
     * @throws ActivationSetException naming the model's file, row and column of a NaN or Inf.
     */
    public static void requireFinite(ActivationSet set, Batch b) {
        for (int m = 0; m < b.numModels(); m++) {
            float[] x = b.x()[m];
            int d = b.dims()[m];
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new ActivationSetException(set.source(m) + ": non-finite value " + x[i] + " at row "
                            + b.rowIds()[i / d] + ", column " + (i % d) + "; expected finite activations");
                }
            }
        }
    }

    /**
     * Fisher-Yates shuffle of {@code [0, n)} seeded by a mix of (seed, epoch) only.
     * SplittableRandom's constructor does not scramble its seed, so we mix first to keep nearby
     * (seed, epoch) pairs from producing correlated streams.
     */
    static int[] permutation(long seed, long epoch, int n) {
        SplittableRandom rng = new SplittableRandom(mix(seed ^ mix(epoch + 0x9E3779B97F4A7C15L)));
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
