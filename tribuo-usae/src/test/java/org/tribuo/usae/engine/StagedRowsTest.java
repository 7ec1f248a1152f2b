package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The staged row kernels against the in-place scalar loops: same operations per element, zero tolerance. */
class StagedRowsTest {

    @Test
    void addsRowsOfTheSourceAtTheirOffsets() {
        // d = 2, src rows r0 = (1, 2), r1 = (3, 4), r2 = (5, 6), r3 = (7, 8), r4 = (-1, 0.5)
        float[] src = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, -1f, 0.5f};
        float[] dst = {9f, 9f, 10f, 20f, 9f};
        StagedRows r = StagedRows.forThread(2);
        r.load(dst, 2, 2);                               // acc = (10, 20)
        r.add4(src, 2, 1f, 0, 2f, 2, 0.5f, 4, -1f, 6);  // + (1,2) + 2*(3,4) + 0.5*(5,6) - (7,8) = (12.5, 25)
        r.add(src, 2, 4f, 8);                            // + 4*(-1, 0.5) = (8.5, 27)
        r.store(dst, 2, 2);
        assertArrayEquals(new float[]{9f, 9f, 8.5f, 27f, 9f}, dst, 0f);
        r.load(null, 0, 2);                              // zeros
        r.add(src, 2, 2f, 2);
        r.store(dst, 0, 2);
        assertArrayEquals(new float[]{6f, 8f, 8.5f, 27f, 9f}, dst, 0f);
    }

    @Test
    void matchesTheInPlaceLoopsBitForBitForAnyWidth() {
        Random rng = new Random(41);
        // widths grow and shrink: the per-thread buffers are reused at their larger size
        for (int d : new int[]{1, 3, 17, 768, 5, 1031}) {
            float[] src = SlotCodesFixtures.gaussian(rng, 6 * d);
            float[] dst = SlotCodesFixtures.gaussian(rng, 3 * d);
            float[] expected = dst.clone();
            float[] g = {rng.nextFloat(), -rng.nextFloat(), 0f, rng.nextFloat() * 8f, -0.25f};
            int at = d;  // row 1 of dst
            for (int c = 0; c < d; c++) {
                expected[at + c] += g[0] * src[5 * d + c];
                expected[at + c] += g[1] * src[c];
                expected[at + c] += g[2] * src[2 * d + c];
                expected[at + c] += g[3] * src[5 * d + c];
                expected[at + c] += g[4] * src[3 * d + c];
            }
            StagedRows r = StagedRows.forThread(d);
            r.load(dst, at, d);
            r.add4(src, d, g[0], 5 * d, g[1], 0, g[2], 2 * d, g[3], 5 * d);
            r.add(src, d, g[4], 3 * d);
            r.store(dst, at, d);
            assertArrayEquals(expected, dst, 0f, "d = " + d);
        }
    }
}
