package org.tribuo.usae.engine;

import org.tribuo.usae.sae.ReconstructionLoss;

/**
 * Float twin of {@link Criterion}: the reconstruction criteria on a residual {@code E [rows x d]}
 * with their gradient. Sums are accumulated in double so the loss keeps full precision at large
 * {@code rows x d}; gradients are float.
 */
final class FloatCriterion {
    private FloatCriterion() {
    }

    /**
     * @param loss criterion.
     * @param e residual {@code [rows x d]}.
     * @param ref NMSE reference rows {@code [rows x d]} (unused for L1, L2).
     * @param rows rows.
     * @param d width.
     * @param scale multiplies value and gradient.
     * @param gradE {@code scale * d(criterion)/dE} is ADDED here.
     * @return {@code scale * criterion(E)}.
     */
    static double apply(ReconstructionLoss loss, float[] e, float[] ref, int rows, int d, double scale, float[] gradE) {
        // rows are independent: each row's sum is taken in column order on one thread, then the row sums are
        // added in row order, so the result does not depend on the thread count
        double[] rowSums = new double[rows];
        switch (loss) {
            case L1 -> {
                double inv = scale / ((double) rows * d);
                float g = (float) inv;
                SparsePool.forRange(rows, (part, lo, hi) -> {
                    for (int n = lo; n < hi; n++) {
                        double sum = 0;
                        for (int i = n * d; i < (n + 1) * d; i++) {
                            sum += Math.abs(e[i]);
                            gradE[i] += g * Math.signum(e[i]);
                        }
                        rowSums[n] = sum;
                    }
                });
                return sum(rowSums) * inv;
            }
            case L2 -> {
                double inv = scale / ((double) rows * d);
                float g = (float) (2 * inv);
                SparsePool.forRange(rows, (part, lo, hi) -> {
                    for (int n = lo; n < hi; n++) {
                        double sum = 0;
                        for (int i = n * d; i < (n + 1) * d; i++) {
                            sum += (double) e[i] * e[i];
                            gradE[i] += g * e[i];
                        }
                        rowSums[n] = sum;
                    }
                });
                return sum(rowSums) * inv;
            }
            case NMSE -> {
                SparsePool.forRange(rows, (part, lo, hi) -> {
                    for (int n = lo; n < hi; n++) {
                        double num = 0;
                        double den = 0;
                        int o = n * d;
                        for (int c = 0; c < d; c++) {
                            num += (double) e[o + c] * e[o + c];
                            den += (double) ref[o + c] * ref[o + c];
                        }
                        double w = scale / (rows * den);
                        rowSums[n] = num * w;
                        float g = (float) (2 * w);
                        for (int c = 0; c < d; c++) {
                            gradE[o + c] += g * e[o + c];
                        }
                    }
                });
                return sum(rowSums);
            }
            default -> throw new IllegalStateException("Unknown loss " + loss);
        }
    }

    private static double sum(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        return total;
    }
}
