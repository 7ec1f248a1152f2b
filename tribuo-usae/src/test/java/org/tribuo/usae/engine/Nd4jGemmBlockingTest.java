package org.tribuo.usae.engine;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls larger than the staging bound, split into blocks (rows of C without transA; the contracted
 * dimension with beta = 1 accumulation with transA), against the same call unblocked, all four transpose
 * combinations and beta 0 and 1. Blocking the contracted dimension changes the float summation order, so the
 * tolerance is float rounding: |diff| <= 1e-5 * (k + 1) for standard-normal operands (each product sum has k
 * terms of size about 1; GemmTest uses the same bound against a double loop).
 */
class Nd4jGemmBlockingTest {
    private static final int M = 37;
    private static final int N = 23;
    private static final int K = 29;

    @BeforeAll
    static void nd4jLoads() {
        Assumptions.assumeTrue(Nd4jGemm.available(), "ND4J native backend not loadable here");
    }

    @Test
    void blockedCallsEqualTheUnblockedOne() {
        Random rng = new Random(31);
        Nd4jGemm whole = new Nd4jGemm();
        // 100: both dimensions blocked (4-row, 4-deep blocks with remainders); 900: without transA 31 + 6 rows of C
        // and the contracted dimension whole, with transA C whole and 24 + 5 deep; 1 cannot hold one row
        for (int bound : new int[]{100, 900, 1}) {
            Nd4jGemm blocked = new Nd4jGemm(bound);
            // twice: the second pass reuses the staging buffers (once for bound 1: a call per element pair)
            for (int rep = 0; rep < (bound == 1 ? 1 : 2); rep++) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    for (float beta : new float[]{0f, 1f}) {
                        float[] a = SlotCodesFixtures.gaussian(rng, M * K);
                        float[] b = SlotCodesFixtures.gaussian(rng, K * N);
                        float[] c0 = SlotCodesFixtures.gaussian(rng, M * N);
                        float[] expected = c0.clone();
                        float[] got = c0.clone();
                        if (beta == 0f) {
                            got[0] = Float.NaN; // beta = 0 overwrites C in every block
                            got[M * N - 1] = Float.NaN;
                        }
                        whole.sgemm(ta, tb, M, N, K, 0.7f, a, b, beta, expected);
                        blocked.sgemm(ta, tb, M, N, K, 0.7f, a, b, beta, got);
                        for (int i = 0; i < M * N; i++) {
                            assertEquals(expected[i], got[i], 1e-5 * (K + 1),
                                    "bound " + bound + " ta=" + ta + " tb=" + tb + " beta=" + beta + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void stagingStaysWithinTheBound() {
        Random rng = new Random(32);
        int bound = 100;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            Nd4jGemm blocked = new Nd4jGemm(bound);
            Nd4jGemm whole = new Nd4jGemm();
            float[] a = SlotCodesFixtures.gaussian(rng, M * K);
            float[] b = SlotCodesFixtures.gaussian(rng, K * N);
            blocked.sgemm(ta, tb, M, N, K, 1f, a, b, 0f, new float[M * N]);
            whole.sgemm(ta, tb, M, N, K, 1f, a, b, 0f, new float[M * N]);
            // three roles of at most 100 floats each; unblocked, they hold A, B and C whole: 29*(37+23) + 37*23
            assertTrue(blocked.stagedFloats() <= 3L * bound, "ta=" + ta + " tb=" + tb + " staged "
                    + blocked.stagedFloats());
            assertEquals((long) K * (M + N) + (long) M * N, whole.stagedFloats(), "ta=" + ta + " tb=" + tb);
        }
    }

    @Test
    void emptyContractionScalesC() {
        // k = 0: C = beta * C, and beta = 0 overwrites (NaN included)
        float[] c = {2f, Float.NaN};
        new Nd4jGemm(4).sgemm(false, false, 1, 2, 0, 1f, new float[0], new float[0], 0f, c);
        assertEquals(0f, c[0], 0f);
        assertEquals(0f, c[1], 0f);
        float[] d = {2f, -3f};
        new Nd4jGemm(4).sgemm(true, true, 2, 1, 0, 1f, new float[0], new float[0], 1.5f, d);
        assertEquals(3f, d[0], 0f);
        assertEquals(-4.5f, d[1], 0f);
    }

    @Test
    void rejectsAnEmptyBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Nd4jGemm(0));
        assertEquals("maxStaged must be >= 1, got 0", e.getMessage());
    }
}
