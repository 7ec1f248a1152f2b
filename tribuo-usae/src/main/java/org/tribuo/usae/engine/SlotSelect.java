package org.tribuo.usae.engine;

/**
 * Row-wise selection of latents into slots, with {@link TopK}'s deterministic order (value
 * descending, ties to the lower index).
 */
final class SlotSelect {
    private SlotSelect() {
    }

    /**
     * TopK of {@code relu(pre)} per row (ranked as if ReLU came first, so that zeros tie and go to
     * lower indices, as the reference), values {@code relu(pre)} at the chosen latents.
     *
     * @param scores {@code [rows x m]} selection scores (pre-activations, or their sum over models).
     * @param relu whether to rank {@code relu(scores)} (per-model TopK) or the raw scores (global TopK).
     * @param pre {@code [rows x m]} pre-activations whose ReLU gives the values.
     * @param m latents.
     * @param out codes {@code [rows x k]} receiving indices and values.
     */
    static void topK(float[] scores, boolean relu, float[] pre, int m, SlotCodes out) {
        // rows are independent: split over rows, each thread with its own work values
        SparsePool.forRange(out.rows, (part, lo, hi) -> topKRows(scores, relu, pre, m, out, lo, hi));
    }

    private static void topKRows(float[] scores, boolean relu, float[] pre, int m, SlotCodes out, int lo, int hi) {
        int k = out.slots;
        float[] topValues = SparsePool.threadRow(k);
        for (int n = lo; n < hi; n++) {
            int o = n * m;
            // ranks relu(scores) in place: no ReLU'd copy of the row
            TopK.select(scores, o, m, k, relu, out.idx, n * k, topValues);
            for (int j = 0; j < k; j++) {
                out.val[n * k + j] = Math.max(0f, pre[o + out.idx[n * k + j]]);
            }
        }
    }
}
