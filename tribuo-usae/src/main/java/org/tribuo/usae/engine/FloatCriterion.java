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
        int len = rows * d;
        double total = 0;
        switch (loss) {
            case L1 -> {
                double inv = scale / ((double) rows * d);
                float g = (float) inv;
                for (int i = 0; i < len; i++) {
                    total += Math.abs(e[i]);
                    gradE[i] += g * Math.signum(e[i]);
                }
                return total * inv;
            }
            case L2 -> {
                double inv = scale / ((double) rows * d);
                float g = (float) (2 * inv);
                for (int i = 0; i < len; i++) {
                    total += (double) e[i] * e[i];
                    gradE[i] += g * e[i];
                }
                return total * inv;
            }
            case NMSE -> {
                for (int n = 0; n < rows; n++) {
                    double num = 0;
                    double den = 0;
                    int o = n * d;
                    for (int c = 0; c < d; c++) {
                        num += (double) e[o + c] * e[o + c];
                        den += (double) ref[o + c] * ref[o + c];
                    }
                    double w = scale / (rows * den);
                    total += num * w;
                    float g = (float) (2 * w);
                    for (int c = 0; c < d; c++) {
                        gradE[o + c] += g * e[o + c];
                    }
                }
                return total;
            }
            default -> throw new IllegalStateException("Unknown loss " + loss);
        }
    }
}
