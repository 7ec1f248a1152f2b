package org.tribuo.usae.sae;

/** Row sums in double in a fixed order, shared by the criteria's fast paths. */
final class RowSums {
    private RowSums() {
    }

    /** @return {@code sum_c |v[o + c]|}, with four interleaved partial sums (one chain of dependent adds was slower). */
    static double absolute(float[] v, int o, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        for (; c + 3 < d; c += 4) {
            s0 += Math.abs(v[o + c]);
            s1 += Math.abs(v[o + c + 1]);
            s2 += Math.abs(v[o + c + 2]);
            s3 += Math.abs(v[o + c + 3]);
        }
        for (; c < d; c++) {
            s0 += Math.abs(v[o + c]);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** @return {@code sum_c v[o + c]²}, with four interleaved partial sums. */
    static double squares(float[] v, int o, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        for (; c + 3 < d; c += 4) {
            s0 += (double) v[o + c] * v[o + c];
            s1 += (double) v[o + c + 1] * v[o + c + 1];
            s2 += (double) v[o + c + 2] * v[o + c + 2];
            s3 += (double) v[o + c + 3] * v[o + c + 3];
        }
        for (; c < d; c++) {
            s0 += (double) v[o + c] * v[o + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** @return the sum of {@code v} in index order. */
    static double inOrder(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        return total;
    }
}
