package org.tribuo.usae.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tribuo.usae.engine.Nd4jGemm;

/**
 * Double-precision {@code C += op(A) B} on row-major arrays, through ND4J's native DGEMM when its
 * backend loads (the linear ceiling's Gram matrices at widths ~5k are hundreds of GFLOP, minutes in
 * plain Java), else plain Java loops.
 */
final class DoubleGemm {
    private final boolean nativeBlas;

    /** @param preferNative use ND4J when it loads (tests pass false to check the Java loops). */
    DoubleGemm(boolean preferNative) {
        this.nativeBlas = preferNative && Nd4jGemm.available();
    }

    /** @return whether ND4J does the work. */
    boolean isNative() {
        return nativeBlas;
    }

    /**
     * {@code C += op(A) B}.
     *
     * @param transA whether A is stored {@code [k x m]} (so op(A) = A^T), else {@code [m x k]}.
     * @param m      rows of C.
     * @param n      columns of C.
     * @param k      the contracted dimension.
     * @param a      A.
     * @param b      B, {@code [k x n]}.
     * @param c      C, {@code [m x n]}, updated.
     */
    void gemmAdd(boolean transA, int m, int n, int k, double[] a, double[] b, double[] c) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (nativeBlas) {
            // ND4J takes the whole array as the buffer: pass exactly the used prefix
            INDArray aa = Nd4j.create(prefix(a, m * k), transA ? new long[]{k, m} : new long[]{m, k}, 'c');
            INDArray bb = Nd4j.create(prefix(b, k * n), new long[]{k, n}, 'c');
            INDArray cc = Nd4j.create(prefix(c, m * n), new long[]{m, n}, 'c');
            Nd4j.gemm(aa, bb, cc, transA, false, 1.0, 1.0);
            double[] out = cc.data().asDouble();
            System.arraycopy(out, 0, c, 0, m * n);
            return;
        }
        for (int i = 0; i < m; i++) {
            int rowC = i * n;
            for (int p = 0; p < k; p++) {
                double aip = transA ? a[p * m + i] : a[i * k + p];
                if (aip == 0) {
                    continue;
                }
                int rowB = p * n;
                for (int j = 0; j < n; j++) {
                    c[rowC + j] += aip * b[rowB + j];
                }
            }
        }
    }

    private static double[] prefix(double[] x, int len) {
        return x.length == len ? x : java.util.Arrays.copyOf(x, len);
    }
}
