package org.tribuo.usae.sae;

/**
 * A {@link Sparsity} whose rows are independent: the fast path is written for a row range and the engine's split
 * runs the ranges in parallel. The result does not depend on the split.
 */
public interface RowwiseSparsity extends Sparsity {
    /**
     * The fast path for rows {@code [lo, hi)}.
     *
     * @param pres  per model {@code [rows x m]} pre-activations.
     * @param m     latents.
     * @param slots code width per row.
     * @param idx   per model {@code [rows x slots]} chosen latents, written in rank order.
     * @param val   per model {@code [rows x slots]} their values, written.
     * @param lo    first row.
     * @param hi    row after the last.
     */
    void selectRows(float[][] pres, int m, int slots, int[][] idx, float[][] val, int lo, int hi);

    @Override
    default void select(float[][] pres, int m, int slots, int[][] idx, float[][] val, int rows, RowSplit split) {
        split.forRange(rows, (lo, hi) -> selectRows(pres, m, slots, idx, val, lo, hi));
    }

    /**
     * Writes {@code relu(pre)} at each chosen latent of rows {@code [lo, hi)}.
     * @param pre {@code [rows x m]} pre-activations.
     * @param m latents.
     * @param slots code width per row.
     * @param idx {@code [rows x slots]} chosen latents.
     * @param val {@code [rows x slots]} written.
     * @param lo first row.
     * @param hi row after the last.
     */
    static void reluValues(float[] pre, int m, int slots, int[] idx, float[] val, int lo, int hi) {
        for (int q = lo * slots; q < hi * slots; q++) {
            val[q] = Math.max(0f, pre[(q / slots) * m + idx[q]]);
        }
    }
}
