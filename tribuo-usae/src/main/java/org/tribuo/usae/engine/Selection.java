package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Sparsity;

/** Runs a {@link Sparsity} block's fast path over a batch's rows, split across the sparse pool. */
final class Selection {
    private Selection() {
    }

    /**
     * @param sparsity the block.
     * @param pres per model {@code [rows x m]} pre-activations.
     * @param m latents.
     * @param outs per model codes {@code [rows x slots]} receiving the chosen latents and their values.
     */
    static void run(Sparsity sparsity, float[][] pres, int m, SlotCodes... outs) {
        int[][] idx = new int[outs.length][];
        float[][] val = new float[outs.length][];
        for (int i = 0; i < outs.length; i++) {
            idx[i] = outs[i].idx;
            val[i] = outs[i].val;
        }
        sparsity.select(pres, m, outs[0].slots, idx, val, outs[0].rows, SparsePool.ROWS);
    }
}
