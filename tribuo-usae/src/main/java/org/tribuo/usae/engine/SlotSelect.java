package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * Row-wise selection of latents into slots, with {@link TopK}'s deterministic order (value
 * descending, ties to the lower index).
 */
final class SlotSelect {
    private SlotSelect() {
    }

    /**
     * TopK of {@code relu(pre)} per row (ReLU first so that zeros tie and go to lower indices, as the
     * reference), values {@code relu(pre)} at the chosen latents.
     *
     * @param scores {@code [rows x m]} selection scores (pre-activations, or their sum over models).
     * @param relu whether to rank {@code relu(scores)} (per-model TopK) or the raw scores (global TopK).
     * @param pre {@code [rows x m]} pre-activations whose ReLU gives the values.
     * @param m latents.
     * @param out codes {@code [rows x k]} receiving indices and values.
     */
    static void topK(float[] scores, boolean relu, float[] pre, int m, SlotCodes out) {
        // rows are independent: split over rows, each thread with its own work row
        SparsePool.forRange(out.rows, (part, lo, hi) -> topKRows(scores, relu, pre, m, out, lo, hi));
    }

    private static void topKRows(float[] scores, boolean relu, float[] pre, int m, SlotCodes out, int lo, int hi) {
        int k = out.slots;
        float[] row = SparsePool.threadRow(m);
        for (int n = lo; n < hi; n++) {
            int o = n * m;
            float[] ranked = scores;
            int off = o;
            if (relu) {
                for (int j = 0; j < m; j++) {
                    row[j] = Math.max(0f, scores[o + j]);
                }
                ranked = row;
                off = 0;
            }
            TopK.select(ranked, off, m, k, out.idx, n * k);
            for (int j = 0; j < k; j++) {
                out.val[n * k + j] = Math.max(0f, pre[o + out.idx[n * k + j]]);
            }
        }
    }

    /**
     * The top {@code slots} strictly positive entries of one row of candidate scores (non-candidates
     * already 0). Only positive entries can carry value or gradient, so when there are no more than
     * {@code slots} of them they are all taken and the rest of the row's slots stay zero padding;
     * otherwise they are ranked by a sort of packed keys (fast for the m/2 slots of half-aux, where
     * insertion TopK would be quadratic).
     *
     * @param scores {@code [m]} candidate scores.
     * @param m latents.
     * @param n row index in {@code out}.
     * @param keys scratch of at least m longs.
     * @param out codes; row n's slots are overwritten (padding: index 0, value 0).
     */
    static void topPositive(float[] scores, int m, int n, long[] keys, SlotCodes out) {
        int slots = out.slots;
        int base = n * slots;
        int count = 0;
        for (int j = 0; j < m; j++) {
            float v = scores[j];
            if (v > 0f) {
                // positive float bits increase with the value: invert for a descending sort, index breaks ties
                keys[count++] = ((long) (Integer.MAX_VALUE - Float.floatToRawIntBits(v)) << 32) | j;
            }
        }
        if (count > slots) {
            Arrays.sort(keys, 0, count);
            count = slots;
        }
        for (int q = 0; q < count; q++) {
            int j = (int) keys[q];
            out.idx[base + q] = j;
            out.val[base + q] = scores[j];
        }
        for (int q = count; q < slots; q++) {
            out.idx[base + q] = 0;
            out.val[base + q] = 0f;
        }
    }
}
