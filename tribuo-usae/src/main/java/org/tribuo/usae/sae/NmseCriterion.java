package org.tribuo.usae.sae;

/**
 * SPARC's and OpenAI's criterion: the mean over rows of {@code sum_d E² / sum_d x²}, each row's squared error
 * relative to its target's squared norm.
 */
public final class NmseCriterion implements ReconstructionCriterion {
    /** The block (it has no settings). */
    public static final NmseCriterion INSTANCE = new NmseCriterion();

    private NmseCriterion() {
    }

    @Override
    public double apply(float[] e, float[] ref, int rows, int d, double scale, float[] gradE, RowSplit split) {
        double[] rowSums = new double[rows];
        split.forRange(rows, (lo, hi) -> {
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
        return RowSums.inOrder(rowSums);
    }

    @Override
    public double reference(double[] e, double[] ref, int rows, int d, double scale, double[] gradE) {
        double total = 0;
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

    @Override
    public String toString() {
        return "NmseCriterion";
    }
}
