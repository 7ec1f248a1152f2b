package org.tribuo.usae.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.engine.Nd4jGemm;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearCeilingTest {
    private static final List<String> NAMES = List.of("a", "b");
    private static final DoubleGemm JAVA = new DoubleGemm(false);

    private static double vw(LinearCeilingReport report, int i, int j) {
        return report.r2().varianceWeighted()[i][j];
    }

    /** Model a: 3 Gaussian columns; model b = a A + bias exactly (2 columns). */
    private static InMemoryActivationSet affine(int rows, float scaleA, float shiftA) {
        Random rng = new Random(7);
        float[] a = new float[rows * 3];
        float[] b = new float[rows * 2];
        double[][] map = {{1.5, -0.5}, {0.25, 2.0}, {-1.0, 0.75}};
        double[] bias = {3.0, -2.0};
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                a[r * 3 + c] = (float) rng.nextGaussian();
            }
            for (int t = 0; t < 2; t++) {
                double y = bias[t];
                for (int c = 0; c < 3; c++) {
                    y += a[r * 3 + c] * map[c][t];
                }
                b[r * 2 + t] = (float) y;
            }
            for (int c = 0; c < 3; c++) {
                a[r * 3 + c] = a[r * 3 + c] * scaleA + shiftA;
            }
        }
        return new InMemoryActivationSet(NAMES, new int[]{3, 2}, new float[][]{a, b});
    }

    @Test
    void exactAffineMapGivesR2One() {
        // fit on rows [0, 40) and [60, 80), score [40, 60); blocks of 7 rows cross the spans unevenly
        LinearCeilingReport report = LinearCeiling.compute(affine(80, 1f, 0f), NAMES,
                new long[][]{{0, 40}, {60, 80}}, 40, 60, new double[]{1e-12}, 0, 7, JAVA);
        assertEquals(60, report.fitRows());
        assertEquals(20, report.evalRows());
        // b is computed in double from the float a and rounded to float once: SSE/SST ~ 1e-14
        assertEquals(1.0, vw(report, 0, 1), 1e-9);
        assertEquals(1.0, vw(report, 0, 0), 1e-9);
        assertEquals(1.0, vw(report, 1, 1), 1e-9);
        // b has 2 columns, a has 3: b cannot carry a, so the reverse ceiling is below 1
        assertTrue(vw(report, 1, 0) < 0.99, "b -> a " + vw(report, 1, 0));
    }

    @Test
    void uncorrelatedTrainingRowsGiveTheHandComputedNegativeR2() {
        // Training: x = -1, 1, -1, 1 and y = 1, 1, -1, -1: X^T Y = 0 after centring, so both slopes are 0
        // whatever the ridge and each prediction is the training mean (0 for both).
        // Held out: x = 1, -1 and y = 1, 3. Predicting y by 0: SSE = 1 + 9 = 10, SST = (1-2)^2 + (3-2)^2 = 2,
        // R2 = 1 - 10 / 2 = -4. Predicting x by 0: SSE = 2, SST = 2, R2 = 0.
        float[] x = {-1, 1, -1, 1, 1, -1};
        float[] y = {1, 1, -1, -1, 1, 3};
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("x", "y"), new int[]{1, 1}, new float[][]{x, y});
        LinearCeilingReport report = LinearCeiling.compute(set, List.of("x", "y"), new long[][]{{0, 4}}, 4, 6,
                new double[]{LinearCeiling.MIN_RELATIVE_RIDGE}, 0, 3, JAVA);
        assertEquals(-4.0, vw(report, 0, 1), 1e-6);
        assertEquals(0.0, vw(report, 1, 0), 1e-6);
    }

    @Test
    void varianceWeightedR2IsInvariantToScalingAModel() {
        LinearCeilingReport plain = LinearCeiling.compute(affine(120, 1f, 0f), NAMES, new long[][]{{0, 90}}, 90, 120,
                new double[]{1e-9}, 0, 32, JAVA);
        LinearCeilingReport scaled = LinearCeiling.compute(affine(120, 7.5f, 3f), NAMES, new long[][]{{0, 90}}, 90,
                120, new double[]{1e-9}, 0, 32, JAVA);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(vw(plain, i, j), vw(scaled, i, j), 1e-6, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void plantedLinearSignalMatchesTheAnalyticCeiling() {
        // y = x A + e with x ~ N(0, I_4), e ~ N(0, s^2 I_2): the population R2 of the best linear map is
        // tr(A^T A) / (tr(A^T A) + 2 s^2) for y (variance weighted), here 5 / (5 + 2) = 0.7142857.
        // Held out, the fitted map is off by O(d / n) = O(2e-4).
        int rows = 40_000;
        double[][] map = {{1, 0}, {0, 1}, {1, 1}, {0, 1}};
        double noise = 1.0;
        Random rng = new Random(11);
        float[] x = new float[rows * 4];
        float[] y = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 4; c++) {
                x[r * 4 + c] = (float) rng.nextGaussian();
            }
            for (int t = 0; t < 2; t++) {
                double v = noise * rng.nextGaussian();
                for (int c = 0; c < 4; c++) {
                    v += x[r * 4 + c] * map[c][t];
                }
                y[r * 2 + t] = (float) v;
            }
        }
        InMemoryActivationSet set = new InMemoryActivationSet(NAMES, new int[]{4, 2}, new float[][]{x, y});
        LinearCeilingReport report = LinearCeiling.compute(set, NAMES, new long[][]{{0, rows / 2}}, rows / 2, rows,
                new double[]{LinearCeiling.MIN_RELATIVE_RIDGE}, 0, 4096, JAVA);
        assertEquals(5.0 / 7.0, vw(report, 0, 1), 0.01);
    }

    @Test
    void nativeAndJavaProductsAgree() {
        if (!Nd4jGemm.available()) {
            return;
        }
        DoubleGemm nd4j = new DoubleGemm(true);
        assertTrue(nd4j.isNative());
        InMemoryActivationSet set = affine(200, 1f, 0f);
        LinearCeilingReport java = LinearCeiling.compute(set, NAMES, new long[][]{{0, 150}}, 150, 200, new double[]{1e-3}, 0, 64, JAVA);
        LinearCeilingReport blas = LinearCeiling.compute(set, NAMES, new long[][]{{0, 150}}, 150, 200, new double[]{1e-3}, 0, 64, nd4j);
        for (R2Kind kind : R2Kind.values()) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(java.r2().get(kind)[i][j], blas.r2().get(kind)[i][j], 1e-9, kind + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void ratioAndJson() throws Exception {
        LinearCeilingReport report = LinearCeiling.compute(affine(80, 1f, 0f), NAMES, new long[][]{{0, 60}}, 60, 80,
                new double[]{1e-9}, 0, 16, JAVA);
        double[][] half = {{0.5, 0.5}, {0.5, 0.5}};
        R2Matrix usae = new R2Matrix(new String[]{"a", "b"}, half, half, half, half);
        double[][] q = report.ratio(usae, R2Kind.VARIANCE_WEIGHTED);
        assertEquals(0.5 / vw(report, 0, 1), q[0][1], 1e-12);
        assertTrue(report.ratioTable(usae, R2Kind.VARIANCE_WEIGHTED).startsWith("USAE / ceiling, varianceWeighted"));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(60, json.get("fitRows").asLong());
        assertEquals(vw(report, 0, 1), json.get("r2").get("varianceWeighted").get(0).get(1).asDouble(), 1e-15);
        R2Matrix other = new R2Matrix(new String[]{"a", "c"}, half, half, half, half);
        assertThrows(IllegalArgumentException.class, () -> report.ratio(other, R2Kind.OFFICIAL));
    }

    @Test
    void validationChoosesAStrongRidgeWhereLeastSquaresOverfits() {
        // 120 source columns of pure noise, a target independent of them, 350 training rows: least squares
        // fits the noise (its expected held-out MSE is 1 + (d + 1) / (n - d - 2), R2 about -0.53), the best
        // map is the mean (R2 ~ 0), so validation should pick a ridge of at least the mean eigenvalue and land near 0.
        int rows = 500;
        int d = 120;
        Random rng = new Random(3);
        float[] x = new float[rows * d];
        float[] y = new float[rows];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) rng.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            y[r] = (float) rng.nextGaussian();
        }
        InMemoryActivationSet set = new InMemoryActivationSet(NAMES, new int[]{d, 1}, new float[][]{x, y});
        long[][] fit = {{0, 350}};
        LinearCeilingReport plain = LinearCeiling.compute(set, NAMES, fit, 350, 500,
                new double[]{LinearCeiling.MIN_RELATIVE_RIDGE}, 0, 64, JAVA);
        LinearCeilingReport chosen = LinearCeiling.compute(set, NAMES, fit, 350, 500,
                LinearCeiling.DEFAULT_RIDGE_GRID, 0.2, 64, JAVA);
        assertTrue(vw(plain, 0, 1) < -0.3, "least squares " + vw(plain, 0, 1));
        assertTrue(chosen.relativeRidge()[0][1] >= 1, "chosen ridge " + chosen.relativeRidge()[0][1]);
        assertTrue(vw(chosen, 0, 1) > -0.1, "validated " + vw(chosen, 0, 1));
        assertEquals(70, chosen.validationRows());
        assertEquals(350, chosen.fitRows());
        // the diagonal is exact for any map that passes the source through: the smallest ridge wins there
        assertEquals(LinearCeiling.MIN_RELATIVE_RIDGE, chosen.relativeRidge()[0][0]);
    }

    @Test
    void splitTailTakesTheLastRowsInSpanOrder() {
        long[][][] split = LinearCeiling.splitTail(new long[][]{{0, 40}, {60, 65}}, 8);
        assertEquals("[[0, 37]]", java.util.Arrays.deepToString(split[0]));
        assertEquals("[[37, 40], [60, 65]]", java.util.Arrays.deepToString(split[1]));
        assertEquals(0, LinearCeiling.splitTail(new long[][]{{0, 4}}, 0)[1].length);
    }

    @Test
    void rejectsBadArguments() {
        InMemoryActivationSet set = affine(20, 1f, 0f);
        assertThrows(IllegalArgumentException.class,
                () -> LinearCeiling.compute(set, NAMES, new long[][]{{0, 10}}, 10, 20, 0, 8));
        assertThrows(IllegalArgumentException.class,
                () -> LinearCeiling.compute(set, NAMES, new long[][]{{0, 1}}, 10, 20, 1e-6, 8));
        assertThrows(IllegalArgumentException.class,
                () -> LinearCeiling.compute(set, NAMES, new long[][]{{0, 10}}, 10, 21, 1e-6, 8));
    }
}
