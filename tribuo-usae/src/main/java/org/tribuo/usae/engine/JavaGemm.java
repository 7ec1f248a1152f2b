package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * A plain-Java {@link Gemm}, blocked over the contracted dimension so a panel of B stays in cache.
 * It wins for tiny products where a native call's copying and JNI overhead dominate, and is the
 * fallback when no native library loads.
 */
public final class JavaGemm implements Gemm {
    private static final int K_BLOCK = 128;
    private float[] column = new float[0];

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                      float beta, float[] c) {
        scale(c, m * n, beta);
        if (transB) {
            dotKernel(transA, m, n, k, alpha, a, b, c);
        } else {
            axpyKernel(transA, m, n, k, alpha, a, b, c);
        }
    }

    private static void scale(float[] c, int len, float beta) {
        if (beta == 0f) {
            // beta = 0 overwrites: stale NaNs in C must not survive as 0 * NaN
            Arrays.fill(c, 0, len, 0f);
        } else if (beta != 1f) {
            for (int i = 0; i < len; i++) {
                c[i] *= beta;
            }
        }
    }

    /** B stored {@code [k x n]}: rows of C accumulate scaled rows of B (contiguous inner loop). */
    private static void axpyKernel(boolean transA, int m, int n, int k, float alpha, float[] a, float[] b, float[] c) {
        for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
            int p1 = Math.min(k, p0 + K_BLOCK);
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                for (int p = p0; p < p1; p++) {
                    float av = alpha * (transA ? a[p * m + i] : a[i * k + p]);
                    if (av == 0f) {
                        continue;
                    }
                    int bp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * b[bp + j];
                    }
                }
            }
        }
    }

    /** B stored {@code [n x k]}: each C entry is a dot product of two contiguous length-k rows. */
    private void dotKernel(boolean transA, int m, int n, int k, float alpha, float[] a, float[] b, float[] c) {
        if (column.length < k) {
            column = new float[k];
        }
        for (int i = 0; i < m; i++) {
            float[] row;
            int off;
            if (transA) {
                // gather the strided column once so the inner loop is contiguous
                for (int p = 0; p < k; p++) {
                    column[p] = a[p * m + i];
                }
                row = column;
                off = 0;
            } else {
                row = a;
                off = i * k;
            }
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                int bj = j * k;
                float s0 = 0f;
                float s1 = 0f;
                int p = 0;
                for (; p + 1 < k; p += 2) {
                    s0 += row[off + p] * b[bj + p];
                    s1 += row[off + p + 1] * b[bj + p + 1];
                }
                if (p < k) {
                    s0 += row[off + p] * b[bj + p];
                }
                c[ci + j] += alpha * (s0 + s1);
            }
        }
    }
}
