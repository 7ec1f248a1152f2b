package org.tribuo.usae.engine;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both GEMMs against a naive double-precision triple loop, all transpose flags, odd shapes. */
class GemmTest {
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {64, 129, 31}, {130, 67, 200}};

    @Test
    void javaGemmMatchesNaive() {
        check(new JavaGemm());
    }

    @Test
    void nd4jGemmMatchesNaive() {
        Assumptions.assumeTrue(Nd4jGemm.available(), "ND4J native backend not loadable here");
        check(new Nd4jGemm());
    }

    @Test
    void autoGemmMatchesNaive() {
        check(new AutoGemm());
    }

    private static void check(Gemm gemm) {
        Random rng = new Random(5);
        int checked = 0;
        for (int rep = 0; rep < 2; rep++) { // twice: the second pass reuses cached buffers
            for (int[] s : SHAPES) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    float[] a = random(rng, m * k);
                    float[] b = random(rng, k * n);
                    float[] c = random(rng, m * n);
                    float alpha = 0.7f;
                    float beta = t == 3 ? 0f : 1.5f;
                    double[] expected = naive(ta, tb, m, n, k, alpha, a, b, beta, c);
                    if (beta == 0f) {
                        c[0] = Float.NaN; // beta = 0 must overwrite, not multiply
                    }
                    gemm.sgemm(ta, tb, m, n, k, alpha, a, b, beta, c);
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(expected[i], c[i], 1e-5 * (k + 1),
                                gemm.getClass().getSimpleName() + " ta=" + ta + " tb=" + tb + " shape "
                                        + m + "x" + n + "x" + k + " at " + i);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 1000);
    }

    private static double[] naive(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                                  float beta, float[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * m + i] : a[i * k + p];
                    double bv = tb ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + (beta == 0f ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    private static float[] random(Random rng, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
