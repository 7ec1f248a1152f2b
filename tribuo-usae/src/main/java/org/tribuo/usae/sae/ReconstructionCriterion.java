package org.tribuo.usae.sae;

/**
 * A building block: the reconstruction criterion on a residual block {@code E = target - reconstruction}
 * {@code [rows x d]}, with its gradient with respect to E. Each block has a fast float32 path (sums in double, so
 * the value keeps full precision at large {@code rows x d}; the gradient in float) and a plain double reference
 * path; the engine-parity and finite-difference tests cover both through every recipe that uses the block.
 * {@link ReconstructionLoss} names the blocks in options and files.
 */
public interface ReconstructionCriterion {
    /**
     * The fast path.
     * @param e     residual {@code [rows x d]}.
     * @param ref   the target rows {@code [rows x d]} (NMSE's per-row reference; others ignore it).
     * @param rows  rows.
     * @param d     width.
     * @param scale multiplies the value and the gradient.
     * @param gradE {@code scale * d(criterion)/dE} is ADDED here.
     * @param split how the engine spreads rows over threads.
     * @return {@code scale * criterion(E)}.
     */
    double apply(float[] e, float[] ref, int rows, int d, double scale, float[] gradE, RowSplit split);

    /**
     * The reference path, in double.
     * @param e     residual {@code [rows x d]}.
     * @param ref   the target rows {@code [rows x d]}.
     * @param rows  rows.
     * @param d     width.
     * @param scale multiplies the value and the gradient.
     * @param gradE if non-null, {@code scale * d(criterion)/dE} is ADDED here.
     * @return {@code scale * criterion(E)}.
     */
    double reference(double[] e, double[] ref, int rows, int d, double scale, double[] gradE);
}
