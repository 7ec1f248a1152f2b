package org.tribuo.usae.sae;

/** The official USAE's criterion: {@code mean |E|} over all {@code rows x d} elements. */
public final class L1Criterion implements ReconstructionCriterion {
    /** The block (it has no settings). */
    public static final L1Criterion INSTANCE = new L1Criterion();

    private L1Criterion() {
    }

    @Override
    public double apply(float[] e, float[] ref, int rows, int d, double scale, float[] gradE, RowSplit split) {
        double inv = scale / ((double) rows * d);
        float g = (float) inv;
        double[] rowSums = new double[rows];
        split.forRange(rows, (lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                int o = n * d;
                for (int c = 0; c < d; c++) {
                    gradE[o + c] += g * Math.signum(e[o + c]);
                }
                rowSums[n] = RowSums.absolute(e, o, d);
            }
        });
        return RowSums.inOrder(rowSums) * inv;
    }

    @Override
    public double reference(double[] e, double[] ref, int rows, int d, double scale, double[] gradE) {
        double inv = scale / ((double) rows * d);
        double total = 0;
        for (int i = 0; i < rows * d; i++) {
            total += Math.abs(e[i]);
            if (gradE != null) {
                gradE[i] += inv * Math.signum(e[i]);
            }
        }
        return total * inv;
    }

    @Override
    public String toString() {
        return "L1Criterion";
    }
}
