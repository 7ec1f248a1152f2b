package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The latent-major scatter against the slot-order loop it replaced: the same float operations in the same
 * order per element, so the tolerance is zero, for 1, 2 and 3 threads and for codes split into row blocks.
 */
class SlotsByLatentTest {

    @Test
    void groupsSlotsByLatentStablyInRowSlotOrder() {
        // rows x slots = 2 x 3, m = 4:
        //   row 0: (lat 2, 1.0) (lat 0, 0.0 padding) (lat 2, 3.0)
        //   row 1: (lat 1, -1.0) (lat 2, 5.0) (lat 3, 0.5)
        SlotCodes c = new SlotCodes(2, 3, new int[]{2, 0, 2, 1, 2, 3},
                new float[]{1f, 0f, 3f, -1f, 5f, 0.5f}, new float[]{10f, 20f, 30f, 40f, 50f, 60f});
        SlotsByLatent g = SlotsByLatent.forThread().build(c, 0, 2, 4, false);
        // non-zero values: lat 0 none, lat 1 {row 1: -1}, lat 2 {row 0: 1, row 0: 3, row 1: 5}, lat 3 {row 1: 0.5}
        assertEquals(5, g.entries());
        assertArrayEquals(new int[]{0, 0, 1, 4, 5}, starts(g, 4));
        assertArrayEquals(new int[]{1, 0, 0, 1, 1}, rows(g));
        assertArrayEquals(new float[]{-1f, 1f, 3f, 5f, 0.5f}, coefs(g), 0f);
        // positive values only, coefficient = grad: lat 2 {row 0: 10, row 0: 30, row 1: 50}, lat 3 {row 1: 60}
        g.build(c, 0, 2, 4, true);
        assertEquals(4, g.entries());
        assertArrayEquals(new int[]{0, 0, 0, 3, 4}, starts(g, 4));
        assertArrayEquals(new int[]{0, 0, 1, 1}, rows(g));
        assertArrayEquals(new float[]{10f, 30f, 50f, 60f}, coefs(g), 0f);
        // row 1 alone keeps absolute row numbers
        g.build(c, 1, 2, 4, false);
        assertArrayEquals(new int[]{0, 0, 1, 2, 3}, starts(g, 4));
        assertArrayEquals(new int[]{1, 1, 1}, rows(g));
    }

    @Test
    void scatterAddSumsFourRowsPerPassLikeOneAtATime() {
        // latent 0 gets rows 0..4 with coefficients 1..5 (one pass of four, then one alone) into d = 2:
        // dst = 0.5 + 1*src0 + 2*src1 + 3*src2 + 4*src3 + 5*src4, src_r = (r, -r):
        // column 0: 0.5 + 0 + 2 + 6 + 12 + 20 = 40.5; column 1: 0.5 - 40 = -39.5; coefficient sum 1+...+5 = 15
        int rows = 5;
        SlotCodes c = new SlotCodes(rows, 1, new int[rows], new float[]{1f, 2f, 3f, 4f, 5f}, new float[rows]);
        float[] src = {0f, 0f, 1f, -1f, 2f, -2f, 3f, -3f, 4f, -4f};
        float[] dst = {0.5f, 0.5f, 7f, 7f};
        float[] sums = new float[2];
        SlotsByLatent.forThread().build(c, 0, rows, 2, false).scatterAdd(src, 2, dst, sums, 0, 2);
        assertArrayEquals(new float[]{40.5f, -39.5f, 7f, 7f}, dst, 0f);
        assertArrayEquals(new float[]{15f, 0f}, sums, 0f);
    }

    @Test
    void matchesTheSlotOrderLoopBitForBitForAnyThreadCount() {
        Random rng = new Random(11);
        for (int rep = 0; rep < 6; rep++) {
            int rows = 1 + rng.nextInt(40);
            int slots = 1 + rng.nextInt(9);
            int m = 2 + rng.nextInt(30);
            int d = 1 + rng.nextInt(13);
            SlotCodes c = SlotCodesFixtures.random(rng, rows, slots, m);
            float[] src = SlotCodesFixtures.gaussian(rng, rows * d);
            float[] start = SlotCodesFixtures.gaussian(rng, m * d);
            for (boolean positiveOnly : new boolean[]{false, true}) {
                float[] expected = start.clone();
                float[] expectedSums = new float[m];
                slotOrder(c, src, d, expected, expectedSums, positiveOnly);
                for (int parts = 1; parts <= 3; parts++) {
                    float[] dst = start.clone();
                    float[] sums = new float[m];
                    SlotsByLatentTest.latentMajor(parts, c, 0, rows, m, positiveOnly, src, d, dst, sums);
                    String what = "rep " + rep + " positiveOnly " + positiveOnly + " parts " + parts;
                    assertArrayEquals(expected, dst, 0f, what);
                    assertArrayEquals(expectedSums, sums, 0f, what + " sums");
                }
            }
        }
    }

    @Test
    void rowBlocksKeepTheOrder() {
        // rows [0, 7) as blocks [0,3) [3,5) [5,7) accumulate as one pass: each latent's rows stay in order
        Random rng = new Random(12);
        int rows = 7;
        int m = 5;
        int d = 6;
        SlotCodes c = SlotCodesFixtures.random(rng, rows, 4, m);
        float[] src = SlotCodesFixtures.gaussian(rng, rows * d);
        float[] expected = new float[m * d];
        float[] expectedSums = new float[m];
        slotOrder(c, src, d, expected, expectedSums, true);
        float[] dst = new float[m * d];
        float[] sums = new float[m];
        int[] cuts = {0, 3, 5, 7};
        for (int b = 0; b + 1 < cuts.length; b++) {
            latentMajor(2, c, cuts[b], cuts[b + 1], m, true, src, d, dst, sums);
        }
        assertArrayEquals(expected, dst, 0f);
        assertArrayEquals(expectedSums, sums, 0f);
    }

    @Test
    void rowsPerBlockBoundsTheEntries() {
        assertEquals(SlotsByLatent.MAX_ENTRIES, SlotsByLatent.rowsPerBlock(1));
        assertEquals(SlotsByLatent.MAX_ENTRIES / 3072, SlotsByLatent.rowsPerBlock(3072));
        assertEquals(1, SlotsByLatent.rowsPerBlock(SlotsByLatent.MAX_ENTRIES + 5));
        SlotCodes wide = new SlotCodes(3, SlotsByLatent.MAX_ENTRIES / 2, new int[0], new float[0], new float[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlotsByLatent.forThread().build(wide, 0, 3, 4, false));
        assertEquals("block of rows [0, 3) x " + (SlotsByLatent.MAX_ENTRIES / 2) + " slots exceeds "
                + SlotsByLatent.MAX_ENTRIES + " entries", e.getMessage());
    }

    /** Builds rows [lo, hi) and scatters them, split over latent ranges as the engine does. */
    static void latentMajor(int parts, SlotCodes c, int lo, int hi, int m, boolean positiveOnly, float[] src, int d,
                            float[] dst, float[] sums) {
        SlotCodesFixtures.withParts(parts, () -> {
            SlotsByLatent g = SlotsByLatent.forThread().build(c, lo, hi, m, positiveOnly);
            SparsePool.forRange(m, (part, a, b) -> g.scatterAdd(src, d, dst, sums, a, b));
            return null;
        });
    }

    /** The slot-order scatter the latent-major one replaced: one slot at a time, rows then slots. */
    static void slotOrder(SlotCodes c, float[] src, int d, float[] dst, float[] sums, boolean positiveOnly) {
        for (int n = 0; n < c.rows; n++) {
            for (int j = 0; j < c.slots; j++) {
                int q = n * c.slots + j;
                float v = c.val[q];
                if (positiveOnly ? !(v > 0f) : v == 0f) {
                    continue;
                }
                float g = positiveOnly ? c.grad[q] : v;
                sums[c.idx[q]] += g;
                for (int col = 0; col < d; col++) {
                    dst[c.idx[q] * d + col] += g * src[n * d + col];
                }
            }
        }
    }

    private static int[] starts(SlotsByLatent g, int m) {
        int[] s = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            s[j] = g.first(j);
        }
        return s;
    }

    private static int[] rows(SlotsByLatent g) {
        int[] r = new int[g.entries()];
        for (int e = 0; e < r.length; e++) {
            r[e] = g.row(e);
        }
        return r;
    }

    private static float[] coefs(SlotsByLatent g) {
        float[] r = new float[g.entries()];
        for (int e = 0; e < r.length; e++) {
            r[e] = g.coef(e);
        }
        return r;
    }
}
