package org.tribuo.usae.metrics.labels;

import org.tribuo.usae.sae.SparseCodes;

import java.util.Arrays;

/**
 * Pools token codes of one stream into per-input codes. Entries are buffered as (input, latent)
 * keys and compacted (sort + combine) whenever the buffer fills, so memory stays about
 * inputs × active latents however many tokens are added. MAX keeps the largest value, MEAN sums
 * and divides by the input's token count at the end.
 */
final class PooledCodesAccumulator {
    private final long[] inputIds;
    private final int[] tokensPerInput;
    private final int numLatents;
    private final Pooling pooling;
    private long[] keys = new long[1 << 16];
    private float[] vals = new float[1 << 16];
    private int size;
    private int compacted;

    /**
     * @param inputIds       ascending distinct input ids.
     * @param tokensPerInput tokens each input has in the pooled rows (MEAN divides by it).
     * @param numLatents     m.
     * @param pooling        MAX or MEAN.
     */
    PooledCodesAccumulator(long[] inputIds, int[] tokensPerInput, int numLatents, Pooling pooling) {
        this.inputIds = inputIds;
        this.tokensPerInput = tokensPerInput;
        this.numLatents = numLatents;
        this.pooling = pooling;
    }

    /**
     * @param codes      {@code [rows x k]} codes of a batch.
     * @param inputIndex per batch row, the position of its input id in {@code inputIds}.
     */
    void add(SparseCodes codes, int[] inputIndex) {
        for (int r = 0; r < codes.rows(); r++) {
            for (int j = 0; j < codes.k(); j++) {
                float v = codes.values()[r * codes.k() + j];
                if (v > 0) { // a zero slot is not a firing (SPARC: z > 0)
                    if (size == keys.length) {
                        compact();
                    }
                    keys[size] = (long) inputIndex[r] * numLatents + codes.indices()[r * codes.k() + j];
                    vals[size++] = v;
                }
            }
        }
    }

    /** Sorts and combines duplicate keys; grows the buffer when compaction frees less than half. */
    private void compact() {
        if (size > compacted) {
            // Sort (key, value) pairs by key through an index permutation packed into longs: key order
            // first, then entry number, so equal keys stay together.
            long[] order = new long[size];
            int bits = 64 - Long.numberOfLeadingZeros(size);
            long maxKey = (long) inputIds.length * numLatents;
            if (64 - Long.numberOfLeadingZeros(maxKey) + bits > 63) {
                throw new IllegalStateException("too many inputs x latents (" + maxKey + ") for the pooling buffer");
            }
            for (int e = 0; e < size; e++) {
                order[e] = (keys[e] << bits) | e;
            }
            Arrays.sort(order);
            long[] k2 = new long[keys.length];
            float[] v2 = new float[vals.length];
            int n = 0;
            long mask = (1L << bits) - 1;
            for (int e = 0; e < size; e++) {
                int src = (int) (order[e] & mask);
                long key = keys[src];
                if (n > 0 && k2[n - 1] == key) {
                    v2[n - 1] = pooling == Pooling.MAX ? Math.max(v2[n - 1], vals[src]) : v2[n - 1] + vals[src];
                } else {
                    k2[n] = key;
                    v2[n++] = vals[src];
                }
            }
            keys = k2;
            vals = v2;
            size = n;
            compacted = n;
        }
        if (size > keys.length / 2) {
            keys = Arrays.copyOf(keys, keys.length * 2);
            vals = Arrays.copyOf(vals, vals.length * 2);
        }
    }

    /** @return the pooled per-input codes. */
    InputCodes build() {
        compact();
        int[] start = new int[inputIds.length + 1];
        int[] lat = new int[size];
        float[] val = new float[size];
        for (int e = 0; e < size; e++) {
            int r = (int) (keys[e] / numLatents);
            lat[e] = (int) (keys[e] % numLatents);
            // MEAN: the sum was taken in float; a token count below 2^24 divides exactly enough.
            val[e] = pooling == Pooling.MEAN ? vals[e] / tokensPerInput[r] : vals[e];
            start[r + 1]++;
        }
        for (int r = 0; r < inputIds.length; r++) {
            start[r + 1] += start[r];
        }
        return new InputCodes(inputIds, numLatents, start, lat, val);
    }
}
