package org.tribuo.usae.sae;

/** {@code mean E²} over all {@code rows x d} elements. */
public final class L2Criterion implements ReconstructionCriterion {
    /** The block (it has no settings). */
    public static final L2Criterion INSTANCE = new L2Criterion();

    private L2Criterion() {
    }

    @Override
    public double apply(float[] e, float[] ref, int rows, int d, double scale, float[] gradE, RowSplit split) {
        double inv = scale / ((double) rows * d);
        float g = (float) (2 * inv);
        double[] rowSums = new double[rows];
        split.forRange(rows, (lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                int o = n * d;
                for (int c = 0; c < d; c++) {
                    gradE[o + c] += g * e[o + c];
                }
                rowSums[n] = RowSums.squares(e, o, d);
            }
        });
        return RowSums.inOrder(rowSums) * inv;
    }

    @Override
    public double reference(double[] e, double[] ref, int rows, int d, double scale, double[] gradE) {
        double inv = scale / ((double) rows * d);
        double total = 0;
        for (int i = 0; i < rows * d; i++) {
            total += e[i] * e[i];
            if (gradE != null) {
                gradE[i] += inv * 2 * e[i];
            }
        }
        return total * inv;
    }

    @Override
    public String toString() {
        return "L2Criterion";
    }
}
