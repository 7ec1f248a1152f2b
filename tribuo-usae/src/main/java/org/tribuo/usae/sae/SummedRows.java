package org.tribuo.usae.sae;

/** Pre-activations summed over models, in model order (the joint blocks' selection score). */
final class SummedRows {
    private SummedRows() {
    }

    /** Writes {@code sum_i pres[i][off .. off+m)} to {@code out[0 .. m)}, adding in model order. */
    static void sum(float[][] pres, int off, int m, float[] out) {
        java.util.Arrays.fill(out, 0, m, 0f);
        for (float[] pre : pres) {
            for (int j = 0; j < m; j++) {
                out[j] += pre[off + j];
            }
        }
    }

    /** @return {@code sum_i pres[i]}, elementwise, in model order. */
    static double[] sum(double[][] pres) {
        double[] sum = new double[pres[0].length];
        for (double[] pre : pres) {
            for (int q = 0; q < sum.length; q++) {
                sum[q] += pre[q];
            }
        }
        return sum;
    }
}
