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
                        int o = n * d;
                        for (int c = 0; c < d; c++) {
                            gradE[o + c] += g * Math.signum(e[o + c]);
                        }
                        rowSums[n] = rowSum(e, o, d, false);
                    }
                });
                return sum(rowSums) * inv;
            }
            case L2 -> {
                double inv = scale / ((double) rows * d);
                float g = (float) (2 * inv);
                SparsePool.forRange(rows, (part, lo, hi) -> {
                    for (int n = lo; n < hi; n++) {
                        int o = n * d;
                        for (int c = 0; c < d; c++) {
                            gradE[o + c] += g * e[o + c];
                        }
                        rowSums[n] = rowSum(e, o, d, true);
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

    /**
     * {@code sum_c |v[o + c]|} or {@code sum_c v[o + c]²} in double with four interleaved partial sums (a
     * fixed order; one chain of dependent double adds is what limited the criterion pass).
     */
    private static double rowSum(float[] v, int o, int d, boolean squares) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        if (squares) {
            for (; c + 3 < d; c += 4) {
                s0 += (double) v[o + c] * v[o + c];
                s1 += (double) v[o + c + 1] * v[o + c + 1];
                s2 += (double) v[o + c + 2] * v[o + c + 2];
                s3 += (double) v[o + c + 3] * v[o + c + 3];
            }
            for (; c < d; c++) {
                s0 += (double) v[o + c] * v[o + c];
            }
        } else {
            for (; c + 3 < d; c += 4) {
                s0 += Math.abs(v[o + c]);
                s1 += Math.abs(v[o + c + 1]);
                s2 += Math.abs(v[o + c + 2]);
                s3 += Math.abs(v[o + c + 3]);
            }
            for (; c < d; c++) {
                s0 += Math.abs(v[o + c]);
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sum(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        return total;
    }
}
