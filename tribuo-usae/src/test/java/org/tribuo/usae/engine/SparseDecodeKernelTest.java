package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gather decode (four decoder rows per pass) and the scatter backward (latent-major) against the
 * one-slot-at-a-time loops they replaced. Each output element sees the same float operations in the same
 * order, so the tolerance is zero, for 1, 2 and 3 threads.
 */
class SparseDecodeKernelTest {

    @Test
    void decodeAddsNonZeroSlotsFourAtATimeInSlotOrder() {
        // one row, 6 slots, d = 1: decoder rows are lat -> lat + 1; slot 2 is padding (value 0):
        // out = bias 0.25 + 1*1 + 2*3 + [skip] + 3*2 + 4*5 + 5*1 = 0.25 + 1 + 6 + 6 + 20 + 5 = 38.25
        SlotCodes c = new SlotCodes(1, 6, new int[]{0, 2, 0, 1, 4, 0}, new float[]{1f, 2f, 0f, 3f, 4f, 5f},
                new float[6]);
        float[] decoder = {1f, 2f, 3f, 4f, 5f};
        float[] out = {Float.NaN};
        SparseDecode.decode(c, decoder, 1, new float[]{0.25f}, out);
        assertEquals(38.25f, out[0], 0f);
    }

    @Test
    void decodeMatchesTheSlotLoopBitForBit() {
        Random rng = new Random(21);
        for (int rep = 0; rep < 8; rep++) {
            int rows = 1 + rng.nextInt(30);
            int slots = 1 + rng.nextInt(11);
            int m = 2 + rng.nextInt(20);
            int d = 1 + rng.nextInt(17);
            SlotCodes c = SlotCodesFixtures.random(rng, rows, slots, m);
            float[] decoder = SlotCodesFixtures.gaussian(rng, m * d);
            float[] bias = rep % 2 == 0 ? SlotCodesFixtures.gaussian(rng, d) : null;
            float[] expected = new float[rows * d];
            slotOrderDecode(c, decoder, d, bias, expected);
            for (int parts = 1; parts <= 3; parts++) {
                float[] out = new float[rows * d];
                Arrays.fill(out, Float.NaN); // overwritten
                SlotCodesFixtures.withParts(parts, () -> {
                    SparseDecode.decode(c, decoder, d, bias, out);
                    return null;
                });
                assertArrayEquals(expected, out, 0f, "rep " + rep + " parts " + parts);
            }
        }
    }

    @Test
    void backwardMatchesTheSlotLoopBitForBit() {
        Random rng = new Random(22);
        for (int rep = 0; rep < 8; rep++) {
            int rows = 1 + rng.nextInt(30);
            int slots = 1 + rng.nextInt(11);
            int m = 2 + rng.nextInt(20);
            int d = 1 + rng.nextInt(17);
            checkBackward(rng, rows, slots, m, d, rep % 3 == 2, "rep " + rep);
        }
    }

    @Test
    void backwardOverSeveralRowBlocksMatchesTheSlotLoop() {
        // rowsPerBlock = 1 at this width: three rows are three blocks (1.5M slots in all)
        int slots = SlotsByLatent.MAX_ENTRIES / 2 + 1;
        assertEquals(1, SlotsByLatent.rowsPerBlock(slots));
        checkBackward(new Random(23), 3, slots, 40, 3, false, "wide");
    }

    private static void checkBackward(Random rng, int rows, int slots, int m, int d, boolean noDictionary,
                                      String what) {
        SlotCodes c = SlotCodesFixtures.random(rng, rows, slots, m);
        float[] decoder = SlotCodesFixtures.gaussian(rng, m * d);
        float[] gOut = SlotCodesFixtures.gaussian(rng, rows * d);
        float[] dStart = SlotCodesFixtures.gaussian(rng, m * d);
        SlotCodes expected = SlotCodesFixtures.copy(c);
        float[] expectedDec = noDictionary ? null : dStart.clone();
        slotOrderBackward(expected, decoder, d, gOut, expectedDec);
        for (int parts = 1; parts <= 3; parts++) {
            SlotCodes got = SlotCodesFixtures.copy(c);
            float[] dDec = noDictionary ? null : dStart.clone();
            SlotCodesFixtures.withParts(parts, () -> {
                SparseDecode.backward(got, decoder, d, gOut, dDec);
                return null;
            });
            assertArrayEquals(expected.grad, got.grad, 0f, what + " slot grads, parts " + parts);
            assertArrayEquals(expectedDec, dDec, 0f, what + " decoder grad, parts " + parts);
        }
    }

    /** The decode before blocking: one slot at a time. */
    private static void slotOrderDecode(SlotCodes c, float[] decoder, int d, float[] bias, float[] out) {
        for (int n = 0; n < c.rows; n++) {
            for (int col = 0; col < d; col++) {
                out[n * d + col] = bias == null ? 0f : bias[col];
            }
            for (int j = 0; j < c.slots; j++) {
                float v = c.val[n * c.slots + j];
                if (v == 0f) {
                    continue;
                }
                int row = c.idx[n * c.slots + j] * d;
                for (int col = 0; col < d; col++) {
                    out[n * d + col] += v * decoder[row + col];
                }
            }
        }
    }

    /** The backward before the latent-major scatter: dot per slot (this JVM's {@link RowDots}), then slot-order scatter. */
    private static void slotOrderBackward(SlotCodes c, float[] decoder, int d, float[] gOut, float[] dDecoder) {
        for (int n = 0; n < c.rows; n++) {
            for (int j = 0; j < c.slots; j++) {
                int q = n * c.slots + j;
                if (c.val[q] == 0f) {
                    continue;
                }
                c.grad[q] += RowDots.dot(gOut, n * d, decoder, c.idx[q] * d, d);
                if (dDecoder != null) {
                    for (int col = 0; col < d; col++) {
                        dDecoder[c.idx[q] * d + col] += c.val[q] * gOut[n * d + col];
                    }
                }
            }
        }
    }
}
