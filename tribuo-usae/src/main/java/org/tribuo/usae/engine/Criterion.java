package org.tribuo.usae.engine;

import org.tribuo.usae.sae.ReconstructionLoss;

/**
 * The reconstruction criteria on a residual block {@code E = target - prediction} of
 * {@code [rows x d]}, with their gradient with respect to E. NMSE divides each row by the squared
 * norm of its reference row ({@code x}), so callers pass that reference.
 */
final class Criterion {
    private Criterion() {
    }

    /**
     * @param loss   the criterion.
     * @param e      residual {@code [rows x d]}.
     * @param ref    NMSE reference rows {@code [rows x d]} (unused for L1 and L2).
     * @param rows   rows.
     * @param d      width.
     * @param scale  multiplies the value and the gradient.
     * @param gradE  if non-null, {@code scale * d(criterion)/dE} is ADDED here.
     * @return {@code scale * criterion(E)}.
     */
    static double apply(ReconstructionLoss loss, double[] e, double[] ref, int rows, int d, double scale,
                        double[] gradE) {
        double total = 0;
        switch (loss) {
            case L1 -> {
                double inv = scale / ((double) rows * d);
                for (int i = 0; i < rows * d; i++) {
                    total += Math.abs(e[i]);
                    if (gradE != null) {
                        gradE[i] += inv * Math.signum(e[i]);
                    }
                }
                return total * inv;
            }
            case L2 -> {
                double inv = scale / ((double) rows * d);
                for (int i = 0; i < rows * d; i++) {
                    total += e[i] * e[i];
                    if (gradE != null) {
                        gradE[i] += inv * 2 * e[i];
                    }
                }
                return total * inv;
            }
            case NMSE -> {
                for (int n = 0; n < rows; n++) {
                    double num = 0;
                    double den = 0;
                    for (int c = 0; c < d; c++) {
                        num += e[n * d + c] * e[n * d + c];
                        den += ref[n * d + c] * ref[n * d + c];
                    }
                    double w = scale / (rows * den);
                    total += num * w;
                    if (gradE != null) {
                        for (int c = 0; c < d; c++) {
                            gradE[n * d + c] += w * 2 * e[n * d + c];
                        }
                    }
                }
                return total;
            }
            default -> throw new IllegalStateException("Unknown loss " + loss);
        }
    }
}
