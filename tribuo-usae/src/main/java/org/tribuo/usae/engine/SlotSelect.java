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

    /**
     * HYBRID_TOPK: per row, slots {@code [0, shared)} the TopK of {@code sum} (shared by every model), slots
     * {@code [shared, k)} each model's own TopK of {@code relu(pre)} among the latents not shared; values are
     * each model's {@code relu(pre)} at its slots. Same indices and order as
     * {@code ReferenceEngine.hybridIndices}.
     *
     * @param sum {@code [rows x m]} pre-activations summed over the models.
     * @param pres per model {@code [rows x m]} pre-activations.
     * @param m latents.
     * @param shared globally chosen slots ({@code 1 <= shared < k}).
     * @param outs per model codes {@code [rows x k]} receiving indices and values.
     */
    static void hybrid(float[] sum, float[][] pres, int m, int shared, SlotCodes[] outs) {
        SparsePool.forRange(outs[0].rows, (part, lo, hi) -> hybridRows(sum, pres, m, shared, outs, lo, hi));
    }

    private static void hybridRows(float[] sum, float[][] pres, int m, int shared, SlotCodes[] outs, int lo, int hi) {
        int k = outs[0].slots;
        float[] topValues = new float[k];
        int[] common = new int[shared];
        float[] own = new float[m];
        for (int n = lo; n < hi; n++) {
            int o = n * m;
            TopK.select(sum, o, m, shared, false, common, 0, topValues);
            for (int i = 0; i < pres.length; i++) {
                float[] pre = pres[i];
                SlotCodes out = outs[i];
                for (int j = 0; j < m; j++) {
                    own[j] = Math.max(0f, pre[o + j]);
                }
                // below every ReLU value, so a shared latent is never picked twice
                for (int c : common) {
                    own[c] = -1f;
                }
                System.arraycopy(common, 0, out.idx, n * k, shared);
                TopK.select(own, 0, m, k - shared, false, out.idx, n * k + shared, topValues);
                for (int j = 0; j < k; j++) {
                    out.val[n * k + j] = Math.max(0f, pre[o + out.idx[n * k + j]]);
                }
            }
        }
    }
}
