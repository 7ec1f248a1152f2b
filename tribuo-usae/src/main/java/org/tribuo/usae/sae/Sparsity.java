package org.tribuo.usae.sae;

/**
 * A building block: how each row's k active latents are chosen from the encoders' pre-activations. The
 * engines call it and never ask which block it is. Each block has a fast float32 path, split by the caller
 * over row ranges (rows are independent), and a plain double-precision reference path; the engine-parity
 * tests require that they choose the same latents.
 *
 * <p>Values are always each model's {@code relu(pre)} at its chosen latents; a block only chooses. Arrays
 * are parallel over the models taking part (this step's sources, or every model at inference), in model
 * order: {@code pres[i]}, {@code idx[i]} and {@code val[i]} belong to the same model.
 */
public interface Sparsity {
    /**
     * @return whether a row's latents depend on every model's pre-activations together; training then encodes
     *     every model each step (sources ALL).
     */
    boolean joint();

    /**
     * The fast path, for rows {@code [lo, hi)}: writes each model's chosen latents and their values.
     *
     * @param pres per model {@code [rows x m]} pre-activations.
     * @param m    latents.
     * @param k    active latents (slots) per row.
     * @param idx  per model {@code [rows x k]} chosen latents, written in rank order.
     * @param val  per model {@code [rows x k]} {@code relu(pre)} at them, written.
     * @param lo   first row.
     * @param hi   row after the last.
     */
    void select(float[][] pres, int m, int k, int[][] idx, float[][] val, int lo, int hi);

    /**
     * The reference path: the same choice, plainly, in double precision.
     *
     * @param pres per model {@code [rows x m]} pre-activations.
     * @param rows rows.
     * @param m    latents.
     * @param k    slots per row.
     * @return per model {@code [rows x k]} chosen latents in rank order.
     */
    int[][] referenceIndices(double[][] pres, int rows, int m, int k);

    /**
     * Writes {@code relu(pre)} at each chosen latent of rows {@code [lo, hi)}.
     * @param pre {@code [rows x m]} pre-activations.
     * @param m latents.
     * @param k slots per row.
     * @param idx {@code [rows x k]} chosen latents.
     * @param val {@code [rows x k]} written.
     * @param lo first row.
     * @param hi row after the last.
     */
    static void reluValues(float[] pre, int m, int k, int[] idx, float[] val, int lo, int hi) {
        for (int q = lo * k; q < hi * k; q++) {
            val[q] = Math.max(0f, pre[(q / k) * m + idx[q]]);
        }
    }
}
