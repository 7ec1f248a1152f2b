package org.tribuo.usae.sae;

/**
 * A building block: how each row's active latents are chosen from the encoders' pre-activations. The engines call
 * it and never ask which block it is. Each block has a fast float32 path and a plain double-precision reference
 * path; the engine-parity tests require that they choose the same latents.
 *
 * <p>Codes are {@code slots} wide per row ({@link Architecture#slots()}). A value is the model's {@code relu(pre)} at
 * its chosen latent, or 0 where the block drops the slot (a batch-level or thresholded choice keeps fewer than
 * {@code slots} latents in some rows; the engines treat a 0 as inactive: no decode, no gradient). Arrays are parallel
 * over the models taking part (this step's sources, or every model at inference), in model order: {@code pres[i]},
 * {@code idx[i]} and {@code val[i]} belong to the same model.
 */
public interface Sparsity {
    /**
     * @return whether a row's latents depend on every model's pre-activations together; training then encodes
     *     every model each step (sources ALL).
     */
    boolean joint();

    /**
     * The fast path over a batch.
     *
     * @param pres  per model {@code [rows x m]} pre-activations.
     * @param m     latents.
     * @param slots code width per row.
     * @param idx   per model {@code [rows x slots]} chosen latents, written in rank order.
     * @param val   per model {@code [rows x slots]} their values, written.
     * @param rows  rows.
     * @param split how the engine spreads rows over threads.
     */
    void select(float[][] pres, int m, int slots, int[][] idx, float[][] val, int rows, RowSplit split);

    /**
     * The reference path's choice: the same latents, plainly, in double precision.
     *
     * @param pres  per model {@code [rows x m]} pre-activations.
     * @param rows  rows.
     * @param m     latents.
     * @param slots code width per row.
     * @return per model {@code [rows x slots]} chosen latents in rank order.
     */
    int[][] referenceIndices(double[][] pres, int rows, int m, int slots);

    /**
     * The reference path's values at the chosen latents: {@code relu(pre)}, 0 where the block drops a slot.
     *
     * @param pres  per model {@code [rows x m]} pre-activations.
     * @param rows  rows.
     * @param m     latents.
     * @param slots code width per row.
     * @param idx   per model {@code [rows x slots]}, from {@link #referenceIndices}.
     * @return per model {@code [rows x slots]} values.
     */
    default double[][] referenceValues(double[][] pres, int rows, int m, int slots, int[][] idx) {
        double[][] val = new double[idx.length][rows * slots];
        for (int i = 0; i < idx.length; i++) {
            for (int q = 0; q < rows * slots; q++) {
                val[i][q] = Math.max(0, pres[i][(q / slots) * m + idx[i][q]]);
            }
        }
        return val;
    }

    /**
     * The block that chooses at inference. A row's code must not depend on the other rows of its batch, and one
     * model's rows may be encoded alone; by default a single model takes its own TopK and models together this
     * block.
     *
     * @param params the trained parameters (a block may keep per-model state there, as an inference threshold).
     * @param models the models encoded together, in model order.
     * @return the block to run.
     */
    default Sparsity atInference(UsaeParameters params, int[] models) {
        return models.length == 1 ? TopKSparsity.INSTANCE : this;
    }

    /**
     * @return whether the block keeps a per-model inference threshold ({@link ModelParameters#INFERENCE_THRESHOLD}),
     *     which the trainer estimates from the training rows once training ends.
     */
    default boolean inferenceThreshold() {
        return false;
    }

    /**
     * For a block that keeps an inference threshold: the threshold from the training rows' candidates.
     *
     * @param candidates the positive values of the rows' codes as encoded at inference with the threshold at 0, any
     *                   order (may be reordered).
     * @param count      how many of {@code candidates} are filled.
     * @param rows       the rows they came from.
     * @return the threshold.
     */
    default float estimateThreshold(float[] candidates, int count, long rows) {
        throw new UnsupportedOperationException(this + " keeps no inference threshold");
    }

    /** @return the inference rule in one line, in the words of the exported forward pass ({@code pre}, {@code z}). */
    String formula();

    /** @return a short name for messages, e.g. "TopK per model". */
    String label();
}
