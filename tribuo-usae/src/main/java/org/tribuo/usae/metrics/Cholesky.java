package org.tribuo.usae.metrics;

/**
 * Cholesky factorisation {@code A = L L^T} of a symmetric positive definite {@code [n x n]} matrix
 * (row-major double, only the lower triangle read), with solves and the explicit inverse. The loops run
 * along rows of L so every inner product and update is over contiguous memory.
 */
final class Cholesky {
    private final int n;
    /** L, {@code [n x n]} row-major; the strict upper triangle is zero. */
    private final double[] lower;

    /**
     * @param a {@code [n x n]} row-major, symmetric positive definite (not modified).
     * @param n the order.
     * @throws IllegalArgumentException when a pivot is not positive (A is not positive definite).
     */
    Cholesky(double[] a, int n) {
        if (a.length < (long) n * n) {
            throw new IllegalArgumentException("Expected " + n + " x " + n + " values, got " + a.length);
        }
        this.n = n;
        this.lower = new double[n * n];
        double[] l = lower;
        for (int j = 0; j < n; j++) {
            int rowJ = j * n;
            double diag = a[rowJ + j] - dot(l, rowJ, rowJ, j);
            if (!(diag > 0)) {
                throw new IllegalArgumentException("Matrix is not positive definite: pivot " + j + " is " + diag);
            }
            double ljj = Math.sqrt(diag);
            l[rowJ + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                int rowI = i * n;
                l[rowI + j] = (a[rowI + j] - dot(l, rowI, rowJ, j)) / ljj;
            }
        }
    }

    private static double dot(double[] l, int rowA, int rowB, int len) {
        double s = 0;
        for (int p = 0; p < len; p++) {
            s += l[rowA + p] * l[rowB + p];
        }
        return s;
    }

    /** @return the order n. */
    int order() {
        return n;
    }

    /** @return a copy of L, {@code [n x n]} row-major. */
    double[] lower() {
        return lower.clone();
    }

    /**
     * Solves {@code A X = B} in place.
     *
     * @param b    B, {@code [n x cols]} row-major, overwritten with X.
     * @param cols right-hand sides.
     */
    void solveInPlace(double[] b, int cols) {
        if (b.length < (long) n * cols) {
            throw new IllegalArgumentException("Expected " + n + " x " + cols + " values, got " + b.length);
        }
        double[] l = lower;
        // L Z = B, row by row: Z_i = (B_i - sum_{p<i} L_ip Z_p) / L_ii
        for (int i = 0; i < n; i++) {
            int rowI = i * cols;
            for (int p = 0; p < i; p++) {
                axpy(-l[i * n + p], b, p * cols, b, rowI, cols);
            }
            scale(b, rowI, cols, 1.0 / l[i * n + i]);
        }
        // L^T X = Z, from the last row: X_i = (Z_i - sum_{p>i} L_pi X_p) / L_ii
        for (int i = n - 1; i >= 0; i--) {
            int rowI = i * cols;
            for (int p = i + 1; p < n; p++) {
                axpy(-l[p * n + i], b, p * cols, b, rowI, cols);
            }
            scale(b, rowI, cols, 1.0 / l[i * n + i]);
        }
    }

    /**
     * @return {@code L^-1}, {@code [n x n]} row-major lower triangular; {@code A^-1 = L^-T L^-1}. Built row
     * by row ({@code row_i = (e_i - sum_{p<i} L_ip row_p) / L_ii}) so the updates are contiguous.
     */
    double[] lowerInverse() {
        double[] inv = new double[n * n];
        double[] l = lower;
        for (int i = 0; i < n; i++) {
            int rowI = i * n;
            inv[rowI + i] = 1.0;
            for (int p = 0; p < i; p++) {
                // row p of L^-1 is zero past column p
                axpy(-l[rowI + p], inv, p * n, inv, rowI, p + 1);
            }
            scale(inv, rowI, i + 1, 1.0 / l[rowI + i]);
        }
        return inv;
    }

    private static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
        if (alpha == 0) {
            return;
        }
        for (int c = 0; c < len; c++) {
            y[yOff + c] += alpha * x[xOff + c];
        }
    }

    private static void scale(double[] x, int off, int len, double s) {
        for (int c = 0; c < len; c++) {
            x[off + c] *= s;
        }
    }
}
