package org.tribuo.usae.synth;

import java.util.Random;

/** Small dense-vector helpers of the generators (float32 storage, double accumulation). */
final class Vectors {
    private Vectors() {
    }

    /** @return n standard normals from {@code rng}. */
    static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int t = 0; t < n; t++) {
            v[t] = (float) rng.nextGaussian();
        }
        return v;
    }

    /** @return {@code A v} for {@code A [rows x cols]} row-major. */
    static float[] multiply(float[] a, int rows, int cols, float[] v) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += (double) a[r * cols + c] * v[c];
            }
            out[r] = (float) s;
        }
        return out;
    }

    /** @return {@code v}, scaled in place to unit L2 norm. */
    static float[] normalize(float[] v) {
        double n = Math.sqrt(squaredNorm(v));
        for (int t = 0; t < v.length; t++) {
            v[t] = (float) (v[t] / n);
        }
        return v;
    }

    /** @return the squared L2 norm. */
    static double squaredNorm(float[] v) {
        double n = 0;
        for (float f : v) {
            n += (double) f * f;
        }
        return n;
    }
}
