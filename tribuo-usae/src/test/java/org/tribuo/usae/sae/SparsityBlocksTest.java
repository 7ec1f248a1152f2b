package org.tribuo.usae.sae;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sparsity blocks on hand-made rows, and their fast and reference paths choosing the same latents. */
class SparsityBlocksTest {
    // m = 5, k = 3. Model a's pre [5, 4, 0, 0, 1], model b's [0, 1, 3, 0, -2]; their sum [5, 5, 3, 0, -1].
    private static final float[] A = {5, 4, 0, 0, 1};
    private static final float[] B = {0, 1, 3, 0, -2};

    /** The fast path over all rows: chosen latents and values per model. */
    private record Chosen(int[][] idx, float[][] val) {
        static Chosen by(Sparsity s, float[][] pres, int rows, int m, int k) {
            Chosen c = new Chosen(new int[pres.length][rows * k], new float[pres.length][rows * k]);
            s.select(pres, m, k, c.idx, c.val, 0, rows);
            return c;
        }
    }

    @Test
    void topKRanksEachModelsReluAndTiesGoToTheLowerIndex() {
        Chosen c = Chosen.by(TopKSparsity.INSTANCE, new float[][]{A, B}, 1, 5, 3);
        // b: relu [0, 1, 3, 0, 0]: 2 (3), 1 (1), then the lowest-indexed zero, 0
        assertArrayEquals(new int[][]{{0, 1, 4}, {2, 1, 0}}, c.idx());
        assertArrayEquals(new float[][]{{5, 4, 1}, {3, 1, 0}}, c.val());
    }

    @Test
    void globalTopKSharesTheSumsTopKAndTakesEachModelsOwnValues() {
        // the sum ties latents 0 and 1 (5 each): both are chosen, the lower index first
        Chosen c = Chosen.by(GlobalTopKSparsity.INSTANCE, new float[][]{A, B}, 1, 5, 3);
        assertArrayEquals(new int[][]{{0, 1, 2}, {0, 1, 2}}, c.idx());
        assertArrayEquals(new float[][]{{5, 4, 0}, {0, 1, 3}}, c.val());
    }

    @Test
    void hybridSharedSlotsComeFirstAndOwnSlotsNeverRepeatThem() {
        // one shared slot: the sum's tie of latents 0 and 1 goes to 0; then each model takes its own top 2 of
        // relu(pre) among latents 1-4: a -> 1 (4), 4 (1); b -> 2 (3), 1 (1)
        Chosen c = Chosen.by(new HybridTopKSparsity(1), new float[][]{A, B}, 1, 5, 3);
        assertArrayEquals(new int[][]{{0, 1, 4}, {0, 2, 1}}, c.idx());
        assertArrayEquals(new float[][]{{5, 4, 1}, {0, 3, 1}}, c.val());
        assertArrayEquals(new int[][]{{0, 1, 4}, {0, 2, 1}},
                new HybridTopKSparsity(1).referenceIndices(new double[][]{toDouble(A), toDouble(B)}, 1, 5, 3));
    }

    @Test
    void hybridRowsWithFewOwnPositivesFillWithTheLowestZerosNotASharedLatent() {
        float[] a = {0, 0, 0, 9, 0};
        float[] b = {-1, -1, -1, 2, -1};
        Chosen c = Chosen.by(new HybridTopKSparsity(1), new float[][]{a, b}, 1, 5, 3);
        assertArrayEquals(new int[]{3, 0, 1}, c.idx()[1]);
        assertArrayEquals(new float[]{2, 0, 0}, c.val()[1]);
        assertArrayEquals(new int[][]{{3, 0, 1}, {3, 0, 1}},
                new HybridTopKSparsity(1).referenceIndices(new double[][]{toDouble(a), toDouble(b)}, 1, 5, 3));
    }

    @Test
    void fastAndReferencePathsAgreeOnRandomRowsSplitAnyWay() {
        int rows = 37;
        int m = 29;
        int k = 6;
        SplittableRandom rnd = new SplittableRandom(5);
        float[][] pres = new float[3][rows * m];
        double[][] dpres = new double[3][];
        for (int i = 0; i < 3; i++) {
            for (int q = 0; q < pres[i].length; q++) {
                // quarter steps: exact ties and zeros, as ReLU'd codes and quantised activations have
                pres[i][q] = (float) (Math.round(rnd.nextGaussian() * 8) / 4.0);
            }
            dpres[i] = toDouble(pres[i]);
        }
        for (Sparsity s : new Sparsity[]{TopKSparsity.INSTANCE, GlobalTopKSparsity.INSTANCE, new HybridTopKSparsity(4)}) {
            int[][] idx = new int[3][rows * k];
            float[][] val = new float[3][rows * k];
            // three uneven row ranges, as the engine's thread split would give
            s.select(pres, m, k, idx, val, 0, 10);
            s.select(pres, m, k, idx, val, 10, 11);
            s.select(pres, m, k, idx, val, 11, rows);
            assertArrayEquals(s.referenceIndices(dpres, rows, m, k), idx, s.toString());
            for (int i = 0; i < 3; i++) {
                for (int q = 0; q < rows * k; q++) {
                    assertEquals(Math.max(0f, pres[i][(q / k) * m + idx[i][q]]), val[i][q], s + " value " + q);
                }
            }
        }
    }

    @Test
    void theRecordedNamesMapToTheirBlocks() {
        assertEquals(TopKSparsity.INSTANCE, SparsityKind.TOPK.block(0));
        assertEquals(GlobalTopKSparsity.INSTANCE, SparsityKind.GLOBAL_TOPK.block(0));
        assertEquals(3, ((HybridTopKSparsity) SparsityKind.HYBRID_TOPK.block(3)).sharedK());
        assertFalse(SparsityKind.TOPK.joint());
        assertTrue(SparsityKind.GLOBAL_TOPK.joint());
        assertTrue(SparsityKind.HYBRID_TOPK.joint());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
