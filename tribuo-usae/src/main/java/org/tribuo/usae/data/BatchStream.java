package org.tribuo.usae.data;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * An endless stream of shuffled mini-batches over rows {@code [from, to)} of an activation set,
 * reading only the rows each batch needs.
 *
 * <p>Epoch e visits every row of the range once, in an order that depends only on (seed, e) and
 * the set's shard boundaries, so a stream is reproducible and can be resumed at any
 * {@link StreamPosition} (epoch, offset in that order). The order is built the way a mixing buffer
 * works, without holding the whole set: the range is cut at shard boundaries (and into blocks of at
 * most {@code mixRows} rows), the blocks are shuffled, consecutive shuffled blocks are grouped into
 * windows of at least {@code mixRows} rows, and each window's rows are shuffled together. Only one
 * window's permutation ({@code < 2 * mixRows} ints) is in memory. A range of at most
 * {@code mixRows} rows is one window: a plain uniform shuffle of the whole range.
 *
 * <p>With {@code dropLast} the final short batch of an epoch is skipped, otherwise it is returned
 * short. Every batch is checked for NaN and Inf.
 */
public final class BatchStream implements Iterator<Batch> {
    /** Default mixing window: 2^24 rows (a 64 MiB permutation); smaller ranges are shuffled whole. */
    public static final int DEFAULT_MIX_ROWS = 1 << 24;

    private final ActivationSet set;
    private final int batchSize;
    private final long seed;
    private final long n;
    private final boolean dropLast;
    private final long epochEnd;
    private final int mixRows;
    /** Blocks of the range: absolute first row and length, in row order. */
    private final long[] blockStart;
    private final int[] blockLen;
    private long epoch = -1;
    private int[] blockOrder;
    /** Per window of this epoch: its first offset in the epoch order and its first position in blockOrder; one extra end entry each. */
    private long[] windowOffset;
    private int[] windowFirstBlock;
    private int window = -1;
    private int[] windowPerm;
    /** Cumulative rows of the current window's blocks, {@code [blocks + 1]}. */
    private long[] windowCum;
    private long offset;

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
        this(set, batchSize, seed, from, to, dropLast, DEFAULT_MIX_ROWS);
    }

    /**
     * A stream over rows {@code [from, to)} with a given mixing window.
     *
     * @param set       the data.
     * @param batchSize rows per batch.
     * @param seed      shuffling seed.
     * @param from      first row, inclusive.
     * @param to        last row, exclusive.
     * @param dropLast  skip the short last batch of each epoch.
     * @param mixRows   rows mixed together at least (1 to 2^30); the range is shuffled whole if it is no larger.
     */
    public BatchStream(ActivationSet set, int batchSize, long seed, long from, long to, boolean dropLast, int mixRows) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (mixRows < 1 || mixRows > (1 << 30)) {
            throw new IllegalArgumentException("mixRows must be in [1, 2^30], got " + mixRows);
        }
        if (from < 0 || to > set.rows() || from >= to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") must be non-empty and inside [0, "
                    + set.rows() + ")");
        }
        this.n = to - from;
        if (dropLast && n < batchSize) {
            throw new IllegalArgumentException("dropLast with " + n + " rows and batchSize " + batchSize
                    + " yields no batches");
        }
        this.set = set;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
        this.mixRows = mixRows;
        this.epochEnd = dropLast ? n - n % batchSize : n;
        java.util.List<long[]> blocks = blocks(set.shardBoundaries(), from, to, mixRows);
        this.blockStart = new long[blocks.size()];
        this.blockLen = new int[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            blockStart[i] = blocks.get(i)[0];
            blockLen[i] = (int) blocks.get(i)[1];
        }
        seek(new StreamPosition(0, 0));
    }

    /** Cuts {@code [from, to)} at the shard boundaries and into pieces of at most {@code maxLen} rows. */
    static java.util.List<long[]> blocks(long[] bounds, long from, long to, int maxLen) {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        for (int k = 0; k + 1 < bounds.length; k++) {
            long a = Math.max(from, bounds[k]);
            long b = Math.min(to, bounds[k + 1]);
            for (long s = a; s < b; s += maxLen) {
                out.add(new long[]{s, Math.min(maxLen, b - s)});
            }
        }
        return out;
    }

    /** @return batches per epoch. */
    public int batchesPerEpoch() {
        return Math.toIntExact((epochEnd + batchSize - 1) / batchSize);
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
            startEpoch(p.epoch());
        }
        offset = p.offset();
    }

    /** Shuffles the blocks for epoch {@code e} and groups them into windows. */
    private void startEpoch(long e) {
        epoch = e;
        int nb = blockStart.length;
        // One block keeps the identity order, so an unsharded range is shuffled exactly as one permutation.
        blockOrder = nb == 1 ? new int[]{0} : permutation(mix(seed ^ 0x5DEECE66DL), e, nb);
        long[] offs = new long[nb + 1];
        int[] firsts = new int[nb + 1];
        int w = 0;
        long acc = 0;
        long inWindow = 0;
        for (int j = 0; j < nb; j++) {
            if (inWindow == 0) {
                offs[w] = acc;
                firsts[w] = j;
                w++;
            }
            inWindow += blockLen[blockOrder[j]];
            acc += blockLen[blockOrder[j]];
            if (inWindow >= mixRows) {
                inWindow = 0;
            }
        }
        offs[w] = acc;
        firsts[w] = nb;
        windowOffset = java.util.Arrays.copyOf(offs, w + 1);
        windowFirstBlock = java.util.Arrays.copyOf(firsts, w + 1);
        window = -1;
    }

    /** Builds window {@code w}'s permutation; a single window uses the plain (seed, epoch) permutation. */
    private void loadWindow(int w) {
        int len = (int) (windowOffset[w + 1] - windowOffset[w]);
        long windowSeed = w == 0 ? seed : mix(seed ^ mix(w + 0x632BE59BD9B4E019L));
        windowPerm = permutation(windowSeed, epoch, len);
        int first = windowFirstBlock[w];
        int last = windowFirstBlock[w + 1];
        windowCum = new long[last - first + 1];
        for (int j = first; j < last; j++) {
            windowCum[j - first + 1] = windowCum[j - first] + blockLen[blockOrder[j]];
        }
        window = w;
    }

    /** @return the set row at position {@code o} of this epoch's order. */
    private long rowAt(long o) {
        if (window < 0 || o < windowOffset[window] || o >= windowOffset[window + 1]) {
            int w = java.util.Arrays.binarySearch(windowOffset, o);
            loadWindow(w >= 0 ? w : -w - 2);
        }
        int p = windowPerm[(int) (o - windowOffset[window])];
        int j = java.util.Arrays.binarySearch(windowCum, p);
        j = j >= 0 ? j : -j - 2;
        return blockStart[blockOrder[windowFirstBlock[window] + j]] + (p - windowCum[j]);
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
        int len = (int) Math.min(batchSize, epochEnd - offset);
        long[] ids = new long[len];
        for (int i = 0; i < len; i++) {
            ids[i] = rowAt(offset + i);
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
