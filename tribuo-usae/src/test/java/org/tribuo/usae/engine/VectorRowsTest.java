package org.tribuo.usae.engine;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API row updates against the scalar loops: a multiply rounded to float, then an add, per element in
 * the same order, so zero tolerance. Skipped without the module.
 */
class VectorRowsTest {
    @BeforeAll
    static void needsTheModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in this JVM");
    }

    @Test
    void addsEqualTheScalarLoopsBitForBit() {
        Random rng = new Random(71);
        for (int d : new int[]{1, 7, 16, 17, 33, 384, 768, 1031}) {
            int m = 6;
            float[] src = SlotCodesFixtures.gaussian(rng, m * d);
            java.util.Arrays.fill(src, 0, d, 0f);         // row 0 zeros, also -0 somewhere
            src[2 * d] = -0f;
            float[] acc = SlotCodesFixtures.gaussian(rng, d);
            float[] expected = acc.clone();
            // coefficients with a zero and a repeated row (r1 = r3)
            float[] g = {rng.nextFloat(), -2f * rng.nextFloat(), 0f, rng.nextFloat() * 8f, -0.5f};
            int[] r = {rng.nextInt(m) * d, 2 * d, 0, 2 * d, rng.nextInt(m) * d};
            for (int c = 0; c < d; c++) {
                expected[c] = (((expected[c] + g[0] * src[r[0] + c]) + g[1] * src[r[1] + c])
                        + g[2] * src[r[2] + c]) + g[3] * src[r[3] + c];
                expected[c] += g[4] * src[r[4] + c];
            }
            VectorRows.add4(acc, src, d, g[0], r[0], g[1], r[1], g[2], r[2], g[3], r[3]);
            VectorRows.add(acc, src, d, g[4], r[4]);
            assertArrayEquals(expected, acc, 0f, "d = " + d);
        }
    }
}
