package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.SparseCodes;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConceptStatsAccumulatorTest {
    private static final List<String> NAMES = List.of("A", "B", "C");
    private static final int[] DIMS = {2, 2, 2};

    /** m = 4 concepts; model A's concept 3 has a decoder row of norm 2, every other row is unit. */
    private static float[][] decoders() {
        return new float[][]{
                {1, 0, 0, 1, 0.6f, 0.8f, 0, 2},
                {1, 0, 0, 1, 1, 0, 0, 1},
                {1, 0, 0, 1, 1, 0, 0, 1}};
    }

    /** Two tokens of k = 2 slots: {concept, value} pairs per token. */
    private static SparseCodes codes(float[][] slots) {
        float[] v = new float[4];
        int[] idx = new int[4];
        for (int s = 0; s < 4; s++) {
            idx[s] = (int) slots[s][0];
            v[s] = slots[s][1];
        }
        return new SparseCodes(2, 2, v, idx);
    }

    /**
     * Four tokens in two batches (tau = 0.1):
     * <pre>
     *        A                   B                   C
     * t0  {0:.5, 1:.05}      {0:.3, 2:.2}        {0:.2, 3:0 (empty)}
     * t1  {0:.4, 2:.3}       {0:.05, 2:.5}       {2:.6, 1:.2}
     * t2  {2:.2, 3:1.0}      {2:.4, 1:.3}        {2:.1, 0:.5}
     * t3  {0:0 (empty), 3:.5} {3:.2, 1:.1}       {2:.3, 1:.4}
     * </pre>
     */
    private static ConceptStats handMade(double tau) {
        ConceptStatsAccumulator acc = new ConceptStatsAccumulator(NAMES, decoders(), DIMS, 4, tau);
        acc.add(new SparseCodes[]{
                codes(new float[][]{{0, .5f}, {1, .05f}, {0, .4f}, {2, .3f}}),
                codes(new float[][]{{0, .3f}, {2, .2f}, {0, .05f}, {2, .5f}}),
                codes(new float[][]{{0, .2f}, {3, 0f}, {2, .6f}, {1, .2f}})});
        acc.add(new SparseCodes[]{
                codes(new float[][]{{2, .2f}, {3, 1f}, {0, 0f}, {3, .5f}}),
                codes(new float[][]{{2, .4f}, {1, .3f}, {3, .2f}, {1, .1f}}),
                codes(new float[][]{{2, .1f}, {0, .5f}, {2, .3f}, {1, .4f}})});
        return acc.result();
    }

    @Test
    void countsFiresCoFiresAndDeadConceptsOfAHandMadeTable() {
        ConceptStats s = handMade(0.1);
        assertEquals(4, s.rows());
        assertEquals(2, s.batches());
        // z != 0: A: c0 t0,t1; c1 t0 (.05); c2 t1,t2; c3 t2,t3. B: c0 t0,t1; c1 t2,t3; c2 t0,t1,t2; c3 t3.
        // C: c0 t0,t2; c1 t1,t3; c2 t1,t2,t3; c3 never (its only slot is empty).
        assertArrayEquals(new long[]{2, 1, 2, 2}, s.nonZeroCounts()[0]);
        assertArrayEquals(new long[]{2, 2, 3, 1}, s.nonZeroCounts()[1]);
        assertArrayEquals(new long[]{2, 2, 3, 0}, s.nonZeroCounts()[2]);
        // z > 0.1 compared in float32: B's c1 at t3 and C's c2 at t2 are exactly 0.1f and do not fire.
        assertArrayEquals(new long[]{2, 0, 2, 2}, s.fireCounts()[0]);
        assertArrayEquals(new long[]{1, 1, 3, 1}, s.fireCounts()[1]);
        assertArrayEquals(new long[]{2, 2, 2, 0}, s.fireCounts()[2]);
        // co-fires (all three > tau on one token): t0 has c0 in A, B, C; t1 has c2 in A, B, C; t2, t3 none.
        assertArrayEquals(new long[]{1, 0, 1, 0}, s.coFireCounts());
        assertArrayEquals(new int[]{0, 0, 1}, s.deadRaw());
        assertArrayEquals(new int[]{1, 0, 1}, s.deadThreshold());
        assertEquals(0.25, s.deadThresholdFraction(0), 0.0);
    }

    @Test
    void energyIsThePerBatchMeanCodeTimesTheDecoderNormAveragedOverBatches() {
        ConceptStats s = handMade(0.1);
        // A, batch 1 (t0, t1): c0 (.5+.4)/2 = .45, c1 .05/2 = .025, c2 .3/2 = .15, c3 0.
        //    batch 2 (t2, t3): c0 0, c1 0, c2 .2/2 = .1, c3 (1+.5)/2 = .75 times ||D_3|| = 2 -> 1.5.
        //    mean over batches: .225, .0125, .125, .75
        assertArrayEquals(new double[]{.225, .0125, .125, .75}, s.energy()[0], 1e-7);
        // B: batch 1 .175, 0, .35, 0; batch 2 0, .2, .2, .1 -> .0875, .1, .275, .05
        assertArrayEquals(new double[]{.0875, .1, .275, .05}, s.energy()[1], 1e-7);
        // C: batch 1 .1, .1, .3, 0; batch 2 .25, .2, .2, 0 -> .175, .15, .25, 0
        assertArrayEquals(new double[]{.175, .15, .25, 0}, s.energy()[2], 1e-7);
        // sums: .4875, .2625, .65, .8 -> ranking 3, 2, 0, 1
        assertArrayEquals(new double[]{.4875, .2625, .65, .8}, s.energyAggregated(), 1e-7);
        assertArrayEquals(new int[]{3, 2, 0, 1}, s.energyRank());
    }

    @Test
    void firingEntropyCoFireProportionAndIouFollowTheOfficialFormulas() {
        ConceptStats s = handMade(0.1);
        // FE = -sum p log2 p / log2 3 (log2 3 = 1.5849625):
        // c0 fires 2,1,2 -> p .4,.2,.4: (2 * .4 * 1.3219281 + .2 * 2.3219281) / 1.5849625 = 1.5219281 / 1.5849625 = .9602297
        // c1 fires 0,1,2 -> p 0,1/3,2/3: (1/3 * 1.5849625 + 2/3 * .5849625) / 1.5849625 = .9182958 / 1.5849625 = .5793802
        // c2 fires 2,3,2 -> p 2/7,3/7,2/7: (4/7 * 1.8073549 + 3/7 * 1.2223924) / 1.5849625 = 1.5566567 / 1.5849625 = .9821410
        // c3 fires 2,1,0 -> as c1: .5793802
        assertArrayEquals(new double[]{.9602297, .5793802, .9821410, .5793802}, s.firingEntropy(), 1e-6);
        // CFP = co-fires / fires per model; a model that never fires the concept gets 0 / (0 + 1e-10) = 0.
        assertArrayEquals(new double[]{.5, 0, .5, 0}, s.coFireProportion()[0], 1e-9);
        assertArrayEquals(new double[]{1, 0, 1.0 / 3, 0}, s.coFireProportion()[1], 1e-9);
        assertArrayEquals(new double[]{.5, 0, .5, 0}, s.coFireProportion()[2], 1e-9);
        // "IoU" = co-fires / total fires: 1/5, 0, 1/7, 0
        assertArrayEquals(new double[]{.2, 0, 1.0 / 7, 0}, s.coFireIou(), 1e-9);
        // mean CFP of A over the 4 concepts: (.5 + 0 + .5 + 0) / 4
        assertEquals(.25, s.meanCoFireProportion(0), 1e-9);
        // the two concepts that co-fire, by co-fire count (ties: lower id first)
        assertArrayEquals(new int[]{0, 2}, s.topCoFiring(2));
    }

    @Test
    void aConceptThatNeverFiresHasZeroEntropyAndOneModelHasZeroEntropy() {
        // tau = 1: no code exceeds 1 (the largest, A's c3 at t2, is exactly 1.0), so nothing fires
        ConceptStats none = handMade(1.0);
        assertArrayEquals(new double[]{0, 0, 0, 0}, none.firingEntropy(), 0.0);
        assertArrayEquals(new int[]{4, 4, 4}, none.deadThreshold());
        ConceptStatsAccumulator one = new ConceptStatsAccumulator(List.of("A"), new float[][]{decoders()[0]}, new int[]{2}, 4, 0.1);
        one.add(new SparseCodes[]{codes(new float[][]{{0, .5f}, {1, .05f}, {0, .4f}, {2, .3f}})});
        ConceptStats s = one.result();
        assertArrayEquals(new double[]{0, 0, 0, 0}, s.firingEntropy(), 0.0);
        // with one model, every fire is a co-fire: c0 twice, c2 once
        assertArrayEquals(new long[]{2, 0, 1, 0}, s.coFireCounts());
    }

    @Test
    void selectsUniqueAndUniversalConceptsRankedByEnergy() {
        ConceptStats s = handMade(0.1);
        // unique: FE <= .6 and one model holds >= .6 of >= 3 fires: c1 (C holds 2/3), c3 (A holds 2/3)
        // universal: >= 1 fire and CFP >= .3 in every model: c0 (.5, 1, .5) and c2 (.5, 1/3, .5); by energy c2 first
        ConceptSelection sel = ConceptSelection.select(s, new UniversalityCriteria(.6, .6, 3, .3, 1));
        assertArrayEquals(new int[]{3}, sel.uniqueByModel().get(0));
        assertArrayEquals(new int[]{}, sel.uniqueByModel().get(1));
        assertArrayEquals(new int[]{1}, sel.uniqueByModel().get(2));
        assertArrayEquals(new int[]{2, 0}, sel.universal());
        // stricter co-firing (CFP >= .4) drops c2, whose CFP in B is 1/3
        assertArrayEquals(new int[]{0}, ConceptSelection.select(s, new UniversalityCriteria(.6, .6, 3, .4, 1)).universal());
        assertThrows(IllegalArgumentException.class, () -> new UniversalityCriteria(.3, .5, 10, .5, 10));
    }

    @Test
    void logLogFitMatchesHandComputedLeastSquares() {
        // kept: (10, 1), (100, 10), (1000, 50); (0, 5) has x = 0 and (20, 0) has y = 0.
        // log10 x = 1, 2, 3 (mean 2); log10 y = 0, 1, 1.69897 (mean .8996567)
        // Sxy = (-1)(-.8996567) + 0 + (1)(.7993133) = 1.69897; Sxx = 2 -> slope .849485
        // Syy = .8093822 + .0100687 + .6389018 = 1.4583527 -> r = 1.69897 / sqrt(2 * 1.4583527) = .9948084
        // intercept = .8996567 - .849485 * 2 = -.7993133
        long[] x = {10, 100, 1000, 0, 20};
        double[] y = {1, 10, 50, 5, 0};
        LogLogFit all = LogLogFit.fit(x, y, 1);
        assertEquals(3, all.concepts());
        assertEquals(.849485, all.slope(), 1e-6);
        assertEquals(.9948084, all.pearson(), 1e-6);
        assertEquals(-.7993133, all.intercept(), 1e-6);
        // x >= 100: two points (2, 1) and (3, 1.69897): slope .69897, r = 1
        LogLogFit frequent = LogLogFit.fit(x, y, 100);
        assertEquals(2, frequent.concepts());
        assertEquals(.69897, frequent.slope(), 1e-6);
        assertEquals(1.0, frequent.pearson(), 1e-12);
        assertTrue(Double.isNaN(LogLogFit.fit(x, y, 1000).pearson()));
    }

    @Test
    void countsMatchABruteForceOverDenseCodes() {
        SplittableRandom rng = new SplittableRandom(7);
        int m = 12;
        int k = 4;
        int models = 3;
        float[][] dec = new float[models][];
        int[] dims = new int[models];
        for (int i = 0; i < models; i++) {
            dims[i] = 1;
            dec[i] = new float[m];
            java.util.Arrays.fill(dec[i], 1f);
        }
        ConceptStatsAccumulator acc = new ConceptStatsAccumulator(List.of("a", "b", "c"), dec, dims, m, 0.3);
        long[][] fires = new long[models][m];
        long[] co = new long[m];
        for (int batch = 0; batch < 5; batch++) {
            int rows = 7;
            SparseCodes[] codes = new SparseCodes[models];
            float[][] dense = new float[models][];
            for (int i = 0; i < models; i++) {
                float[] v = new float[rows * k];
                int[] idx = new int[rows * k];
                for (int r = 0; r < rows; r++) {
                    int[] perm = rng.ints(0, m).distinct().limit(k).toArray();
                    for (int j = 0; j < k; j++) {
                        idx[r * k + j] = perm[j];
                        v[r * k + j] = rng.nextInt(3) == 0 ? 0f : (float) rng.nextDouble();
                    }
                }
                codes[i] = new SparseCodes(rows, k, v, idx);
                dense[i] = codes[i].toDense(m);
            }
            acc.add(codes);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < m; c++) {
                    float min = Float.POSITIVE_INFINITY;
                    for (int i = 0; i < models; i++) {
                        float z = dense[i][r * m + c];
                        fires[i][c] += z > 0.3f ? 1 : 0;
                        min = Math.min(min, z);
                    }
                    co[c] += min > 0.3f ? 1 : 0;
                }
            }
        }
        ConceptStats s = acc.result();
        assertArrayEquals(co, s.coFireCounts());
        for (int i = 0; i < models; i++) {
            assertArrayEquals(fires[i], s.fireCounts()[i]);
        }
    }

    @Test
    void badInputNamesTheModel() {
        ConceptStatsAccumulator acc = new ConceptStatsAccumulator(NAMES, decoders(), DIMS, 4, 0.1);
        SparseCodes ok = SparseCodes.zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> acc.add(new SparseCodes[]{ok, SparseCodes.zeros(3, 2), ok}));
        assertTrue(e.getMessage().contains("'B'"), e.getMessage());
        SparseCodes bad = new SparseCodes(1, 1, new float[]{1f}, new int[]{9});
        e = assertThrows(IllegalArgumentException.class,
                () -> new ConceptStatsAccumulator(NAMES, decoders(), DIMS, 4, 0.1).add(new SparseCodes[]{bad, bad, bad}));
        assertTrue(e.getMessage().contains("concept 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ConceptStatsAccumulator(NAMES, decoders(), new int[]{2, 3, 2}, 4, 0.1));
        assertTrue(e.getMessage().contains("'B'"), e.getMessage());
    }
}
