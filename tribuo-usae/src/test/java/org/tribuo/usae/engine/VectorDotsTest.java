package org.tribuo.usae.engine;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API dot kernels against the scalar ones, whenever the module is present (also with
 * usae.vector=false, which only changes the dispatch); skipped in the build's run without the module.
 */
class VectorDotsTest {
    @BeforeAll
    static void needsTheModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in this JVM");
    }

    /**
     * Random rows of a {@code [64 x 768]} matrix (and other widths, tails included) against the scalar kernel:
     * the two sum in different orders, so they agree to rounding: |vector - scalar| <= 1e-5 * sum |a_c b_c|
     * (each is within about chain length * 2^-24 of that scale; the scalar chains of 768 / 4 = 192 terms give
     * the larger bound, 1.1e-5 in the worst case and well under 1e-6 for random signs).
     */
    @Test
    void vectorDotsMatchScalarDotsToRounding() {
        Random rng = new Random(61);
        for (int d : new int[]{768, 384, 1, 5, 16, 17, 33, 100, 1031}) {
            int m = d == 768 ? 64 : 8;
            float[] matrix = SlotCodesFixtures.gaussian(rng, m * d);
            java.util.Arrays.fill(matrix, 0, d, 0f);          // row 0: padding slots decode it with value 0
            float[] gOut = SlotCodesFixtures.gaussian(rng, 2 * d);
            for (int rep = 0; rep < 20; rep++) {
                int[] r = new int[4];
                for (int i = 0; i < 4; i++) {
                    r[i] = rng.nextInt(m) * d;
                }
                int ao = rep % 2 == 0 ? d : 0;
                float[] vector = new float[4];
                float[] scalar = new float[4];
                VectorDots.addDots4(gOut, ao, matrix, d, vector, 0, r[0], 1, r[1], 2, r[2], 3, r[3]);
                ScalarDots.addDots4(gOut, ao, matrix, d, scalar, 0, r[0], 1, r[1], 2, r[2], 3, r[3]);
                for (int i = 0; i < 4; i++) {
                    double abs = 0;
                    for (int c = 0; c < d; c++) {
                        abs += Math.abs((double) gOut[ao + c] * matrix[r[i] + c]);
                    }
                    assertEquals(scalar[i], vector[i], 1e-5 * abs, "d = " + d + ", rep " + rep + ", sum " + i);
                    assertEquals(vector[i], VectorDots.dot(gOut, ao, matrix, r[i], d), 0f, "addDots4 = dot");
                }
            }
        }
    }

    @Test
    void lanesFoldInHalves() {
        int lanes = VectorDots.lanes();
        assumeTrue(lanes >= 4, "fewer than 4 lanes");
        // lanes 0 = 2^24, 1 = 1, L/2 + 1 = 1, others 0. The first fold (h = L/2) adds lane L/2 + 1 to lane 1:
        // 2; later folds add 0s and finally lane 1 to lane 0: 2^24 + 2 = 16777218 (representable).
        // Lane order would give (2^24 + 1) = 16777216 (ties to even), then + 1 = 16777216 again.
        float[] v = new float[lanes + 3];
        v[3] = 16777216f;
        v[4] = 1f;
        v[3 + lanes / 2 + 1] = 1f;
        assertEquals(16777218f, VectorDots.foldLanes(v, 3), 0f);
    }

    @Test
    void theTailIsAddedAfterTheLanes() {
        int lanes = VectorDots.lanes();
        // n = 2L + 2, b = 1: a[0] = 2^24 (lane 0 of accumulator 0) and two tail elements of 1. The lanes sum
        // to 2^24, then the tail adds 1 at a time: 16777217 rounds to even, 16777216, twice.
        int n = 2 * lanes + 2;
        float[] a = new float[n];
        float[] b = new float[n];
        java.util.Arrays.fill(b, 1f);
        a[0] = 16777216f;
        a[n - 2] = 1f;
        a[n - 1] = 1f;
        assertEquals(16777216f, VectorDots.dot(a, 0, b, 0, n), 0f);
        // the two 1s in lane 1 of accumulators 0 and 1 instead: added lane-wise first (2), then folded into
        // lane 0: 2^24 + 2 = 16777218
        a[n - 2] = 0f;
        a[n - 1] = 0f;
        a[1] = 1f;
        a[lanes + 1] = 1f;
        assertEquals(16777218f, VectorDots.dot(a, 0, b, 0, n), 0f);
    }
}
