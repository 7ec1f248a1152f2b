package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CholeskyTest {
    // A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]], written out by hand.
    private static final double[] A = {
            4, 2, -2,
            2, 10, 5,
            -2, 5, 6};
    private static final double[] L = {
            2, 0, 0,
            1, 3, 0,
            -1, 2, 1};

    @Test
    void factorsAHandMadeMatrix() {
        assertArrayEquals(L, new Cholesky(A, 3).lower(), 1e-12);
    }

    @Test
    void solvesTwoRightHandSides() {
        // X = [[1, 0], [0, 1], [2, -1]]; B = A X computed by hand
        double[] b = {
                4 - 4, 2 + 2,
                2 + 10, 10 - 5,
                -2 + 12, 5 - 6};
        new Cholesky(A, 3).solveInPlace(b, 2);
        assertArrayEquals(new double[]{1, 0, 0, 1, 2, -1}, b, 1e-12);
    }

    @Test
    void lowerInverseTimesLowerIsIdentity() {
        double[] inv = new Cholesky(A, 3).lowerInverse();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int p = 0; p < 3; p++) {
                    s += inv[i * 3 + p] * L[p * 3 + j];
                }
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-12, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void rejectsAMatrixThatIsNotPositiveDefinite() {
        double[] singular = {1, 1, 1, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cholesky(singular, 2));
        assertEquals("Matrix is not positive definite: pivot 1 is 0.0", e.getMessage());
    }
}
