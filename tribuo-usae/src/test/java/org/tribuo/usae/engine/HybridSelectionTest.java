package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** HYBRID_TOPK's selection on a hand-made row, in the fast and the reference path. */
class HybridSelectionTest {
    // m = 5, k = 3, one shared slot. Model a's pre [5, 4, 0, 0, 1], model b's [0, 1, 3, 0, -2]:
    // the sum [5, 5, 3, 0, -1] ties latents 0 and 1, the lower index wins the shared slot; then each model
    // takes its own top 2 of relu(pre) among latents 1-4: a -> 1 (4), 4 (1); b -> 2 (3), 1 (1).
    private static final float[] A = {5, 4, 0, 0, 1};
    private static final float[] B = {0, 1, 3, 0, -2};

    @Test
    void sharedSlotsComeFirstAndOwnSlotsNeverRepeatThem() {
        float[] sum = new float[5];
        for (int j = 0; j < 5; j++) {
            sum[j] = A[j] + B[j];
        }
        SlotCodes a = new SlotCodes(1, 3, new int[3], new float[3], null);
        SlotCodes b = new SlotCodes(1, 3, new int[3], new float[3], null);
        SlotSelect.hybrid(sum, new float[][]{A, B}, 5, 1, new SlotCodes[]{a, b});
        assertArrayEquals(new int[]{0, 1, 4}, a.idx);
        assertArrayEquals(new float[]{5, 4, 1}, a.val);
        assertArrayEquals(new int[]{0, 2, 1}, b.idx);
        assertArrayEquals(new float[]{0, 3, 1}, b.val);
    }

    @Test
    void referencePathChoosesTheSameIndices() {
        double[][] pre = {toDouble(A), null, toDouble(B)};
        int[][] idx = ReferenceEngine.hybridIndices(pre, 1, 5, 3, 1);
        assertArrayEquals(new int[]{0, 1, 4}, idx[0]);
        assertArrayEquals(null, idx[1]);
        assertArrayEquals(new int[]{0, 2, 1}, idx[2]);
    }

    @Test
    void rowsWithFewOwnPositivesFillWithTheLowestZerosNotASharedLatent() {
        // b has no positive entry outside the shared latent: its own slots take the lowest-indexed zeros
        float[] a = {0, 0, 0, 9, 0};
        float[] b = {-1, -1, -1, 2, -1};
        float[] sum = {-1, -1, -1, 11, -1};
        SlotCodes ca = new SlotCodes(1, 3, new int[3], new float[3], null);
        SlotCodes cb = new SlotCodes(1, 3, new int[3], new float[3], null);
        SlotSelect.hybrid(sum, new float[][]{a, b}, 5, 1, new SlotCodes[]{ca, cb});
        assertArrayEquals(new int[]{3, 0, 1}, cb.idx);
        assertArrayEquals(new float[]{2, 0, 0}, cb.val);
        assertArrayEquals(new int[][]{{3, 0, 1}, {3, 0, 1}},
                ReferenceEngine.hybridIndices(new double[][]{toDouble(a), toDouble(b)}, 1, 5, 3, 1));
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
