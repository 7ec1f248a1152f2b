package org.tribuo.usae.sae;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
            s.select(pres, m, k, c.idx, c.val, rows, RowSplit.SERIAL);
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
        // three uneven row ranges, as the engine's thread split would give
        RowSplit uneven = (r, body) -> {
            body.run(0, 10);
            body.run(10, 11);
            body.run(11, r);
        };
        for (Sparsity s : new Sparsity[]{TopKSparsity.INSTANCE, GlobalTopKSparsity.INSTANCE, new HybridTopKSparsity(4),
                new BatchTopKSparsity(2), new ThresholdTopKSparsity(new float[]{0.5f, 1f, 1.75f})}) {
            int[][] idx = new int[3][rows * k];
            float[][] val = new float[3][rows * k];
            s.select(pres, m, k, idx, val, rows, uneven);
            int[][] refIdx = s.referenceIndices(dpres, rows, m, k);
            assertArrayEquals(refIdx, idx, s.toString());
            double[][] refVal = s.referenceValues(dpres, rows, m, k, refIdx);
            for (int i = 0; i < 3; i++) {
                for (int q = 0; q < rows * k; q++) {
                    assertEquals((float) refVal[i][q], val[i][q], s + " value " + q);
                }
            }
        }
    }

    @Test
    void batchTopKKeepsTheBatchsLargestCandidatesSoRowsHoldAsManyAsTheyNeed() {
        // 2 rows, m = 4, 3 slots, k = 2: the batch keeps its 4 largest of relu(pre) among each row's top 3
        float[] a = {5, 4, 3, 0, 1, 0.5f, 0, -1};
        Chosen c = Chosen.by(new BatchTopKSparsity(2), new float[][]{a}, 2, 4, 3);
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2}, c.idx()[0]);
        assertArrayEquals(new float[]{5, 4, 3, 1, 0, 0}, c.val()[0]);
        // equal values at the cut are kept in row-major order
        Chosen ties = Chosen.by(new BatchTopKSparsity(2), new float[][]{{2, 2, 2, 0, 2, 2, 2, 0}}, 2, 4, 3);
        assertArrayEquals(new float[]{2, 2, 2, 2, 0, 0}, ties.val()[0]);
        assertArrayEquals(new double[]{5, 4, 3, 1, 0, 0}, new BatchTopKSparsity(2).referenceValues(
                new double[][]{toDouble(a)}, 2, 4, 3, new int[][]{{0, 1, 2, 0, 1, 2}})[0]);
    }

    @Test
    void batchTopKsQuickselectFindsWhatSortingFinds() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            float[] v = new float[1 + rnd.nextInt(300)];
            for (int q = 0; q < v.length; q++) {
                // few distinct values (many ties), zeros, and now and then a NaN or an infinity
                int r = rnd.nextInt(40);
                v[q] = r == 0 ? Float.NaN : r == 1 ? Float.POSITIVE_INFINITY : r < 12 ? 0f : rnd.nextInt(9) / 2f;
            }
            float[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            int rank = rnd.nextInt(v.length);
            assertEquals(Float.floatToIntBits(sorted[rank]),
                    Float.floatToIntBits(BatchTopKSparsity.kthSmallest(v.clone(), rank)), "trial " + trial);
        }
    }

    @Test
    void batchTopKsThresholdKeepsAMeanOfKPerRowAndInferenceKeepsWhatReachesIt() {
        // the candidates above: 5, 4, 3 | 1, 0.5; 2 rows x k 2 = 4 kept, so the 4th largest, 1
        float[] candidates = {0.5f, 5, 1, 3, 4, 99};
        assertEquals(1f, new BatchTopKSparsity(2).estimateThreshold(candidates, 5, 2));
        // fewer positive candidates than rows x k: every one stays
        assertEquals(0f, new BatchTopKSparsity(4).estimateThreshold(new float[]{3, 1}, 2, 2));
        Chosen c = Chosen.by(new ThresholdTopKSparsity(new float[]{1f}), new float[][]{{5, 4, 3, 0, 1, 0.5f, 0, -1}},
                2, 4, 3);
        assertArrayEquals(new float[]{5, 4, 3, 1, 0, 0}, c.val()[0]);
    }

    @Test
    void theRecordedNamesMapToTheirBlocks() {
        assertEquals(TopKSparsity.INSTANCE, arch(SparsityKind.TOPK, 0, 0).sparsityBlock());
        assertEquals(GlobalTopKSparsity.INSTANCE, arch(SparsityKind.GLOBAL_TOPK, 0, 0).sparsityBlock());
        assertEquals(3, ((HybridTopKSparsity) arch(SparsityKind.HYBRID_TOPK, 3, 0).sparsityBlock()).sharedK());
        assertEquals("BatchTopKSparsity(k=4)", arch(SparsityKind.BATCH_TOPK, 0, 16).sparsityBlock().toString());
        assertFalse(SparsityKind.TOPK.joint());
        assertTrue(SparsityKind.GLOBAL_TOPK.joint());
        assertTrue(SparsityKind.HYBRID_TOPK.joint());
        assertFalse(SparsityKind.BATCH_TOPK.joint());
        for (SparsityKind kind : SparsityKind.values()) {
            Architecture a = arch(kind, kind == SparsityKind.HYBRID_TOPK ? 1 : 0, kind == SparsityKind.BATCH_TOPK ? 8 : 0);
            assertEquals(kind.joint(), a.sparsityBlock().joint(), kind.name());
        }
        assertEquals(16, arch(SparsityKind.BATCH_TOPK, 0, 16).slots());
        assertEquals(4, arch(SparsityKind.TOPK, 0, 0).slots());
        assertThrows(IllegalArgumentException.class, () -> arch(SparsityKind.BATCH_TOPK, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> arch(SparsityKind.TOPK, 0, 8));
    }

    private static Architecture arch(SparsityKind kind, int sharedK, int maxRowSlots) {
        return new Architecture(32, 4, EncoderKind.AFFINE, kind, true, DictionaryConstraint.UNIT_NORM_PROJECTED, sharedK,
                maxRowSlots);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
