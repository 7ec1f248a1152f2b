package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DictionaryConsistencyTest {
    private static final double R = Math.sqrt(0.5);

    @Test
    void matchesHandMadeDictionariesOneToOne() {
        // USAE rows u0 = (1,0), u1 = (0,1), u2 = (1,1); independent rows v0 = (0,2), v1 = (1,0), v2 = (-1,0).
        // cosines     v0      v1      v2
        //   u0         0       1      -1
        //   u1         1       0       0
        //   u2       .7071   .7071  -.7071
        // Greedy (u0-v1, u1-v0, u2-v2) sums 1.2929; the best 1-to-1 is u0-v1, u1-v2, u2-v0 = 1 + 0 + .7071.
        float[] usae = {1, 0, 0, 1, 1, 1};
        float[] independent = {0, 2, 1, 0, -1, 0};
        ConsistencyResult r = DictionaryConsistency.compare("m", usae, 3, independent, 3, 2, null,
                new DictionaryConsistency.Options(0.5, 4, 1));
        assertArrayEquals(new int[]{0, 1, 2}, r.concepts());
        assertArrayEquals(new int[]{1, 2, 0}, r.matchedIndependent());
        assertArrayEquals(new double[]{1, 0, R}, r.matchedCosine(), 1e-6);
        CosineDistribution d = r.distribution();
        // above .5: 1 and .7071 -> 2/3; AUC = mean of clamp(cos, 0, 1) = (1 + 0 + .7071) / 3 = .5690356
        assertEquals(2.0 / 3, d.fractionAbove(), 1e-12);
        assertEquals(.5690356, d.auc(), 1e-6);
        assertEquals(.5690356, d.mean(), 1e-6);
        // sorted 0, .7071, 1; levels 0, .1, .25, .5, .75, .9, 1 at positions 0, .2, .5, 1, 1.5, 1.8, 2:
        // 0, .2*.7071, .5*.7071, .7071, .7071 + .5*.2929, .7071 + .8*.2929, 1
        assertArrayEquals(new double[]{0, .1414214, .3535534, R, .8535534, .9414214, 1}, d.quantiles(), 1e-6);
        // 4 bins over [-1, 1]: 0 in [0, .5); .7071 and 1 in [.5, 1]
        assertArrayEquals(new double[]{-1, -.5, 0, .5, 1}, d.binEdges(), 1e-12);
        assertArrayEquals(new long[]{0, 0, 1, 2}, d.histogram());
    }

    @Test
    void aSubsetIsMatchedAgainstAllIndependentConcepts() {
        float[] usae = {1, 0, 0, 1, 1, 1};
        float[] independent = {0, 2, 1, 0, -1, 0};
        // concept 2 alone (1 x 3): its best partner is v0 or v1, cosine .7071 either way
        ConsistencyResult r = DictionaryConsistency.compare("m", usae, 3, independent, 3, 2, new int[]{2},
                DictionaryConsistency.Options.DEFAULT);
        assertArrayEquals(new int[]{2}, r.concepts());
        assertArrayEquals(new double[]{R}, r.matchedCosine(), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DictionaryConsistency.compare(
                "m", usae, 3, independent, 3, 2, new int[]{5}, DictionaryConsistency.Options.DEFAULT));
        assertTrue(e.getMessage().contains("concept 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryConsistency.compare(
                "m", usae, 3, independent, 2, 2, null, DictionaryConsistency.Options.DEFAULT));
        assertTrue(e.getMessage().contains("independent dictionary must be [rows x d] = [2 x 2]"), e.getMessage());
    }

    @Test
    void aPermutedNoisyCopyIsRecoveredAndBeatsTheRandomBaseline() {
        int m = 64;
        int d = 32;
        SplittableRandom rng = new SplittableRandom(3);
        float[] usae = new float[m * d];
        for (int q = 0; q < usae.length; q++) {
            usae[q] = (float) (rng.nextDouble() * 2 - 1);
        }
        // independent row j = usae row perm[j] scaled by 3 plus a little noise
        int[] perm = rng.ints(0, m).distinct().limit(m).toArray();
        float[] independent = new float[m * d];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < d; c++) {
                independent[j * d + c] = 3 * usae[perm[j] * d + c] + (float) (0.05 * (rng.nextDouble() - 0.5));
            }
        }
        ConsistencyResult r = DictionaryConsistency.compare("m", usae, m, independent, m, d, null,
                DictionaryConsistency.Options.DEFAULT);
        for (int j = 0; j < m; j++) {
            assertEquals(j, r.matchedIndependent()[perm[j]], "concept " + perm[j]);
        }
        assertEquals(1.0, r.distribution().fractionAbove(), 0.0);
        assertTrue(r.distribution().auc() > 0.99, "auc " + r.distribution().auc());
        // random rows in d = 32: the best 1-to-1 cosines sit near a few 1/sqrt(32) = .18, far below the match
        assertTrue(r.randomBaseline().mean() < 0.45, "random mean " + r.randomBaseline().mean());
        assertTrue(r.randomBaseline().fractionAbove() < 0.2, "random above " + r.randomBaseline().fractionAbove());
    }

    @Test
    void aucEqualsTheAreaUnderTheMatchedFractionCurve() {
        SplittableRandom rng = new SplittableRandom(11);
        double[] cos = rng.doubles(200, -1, 1).toArray();
        CosineDistribution d = CosineDistribution.of(cos, 0.5, 10);
        // midpoint rule over t in [0, 1] with 20000 steps of f(t) = fraction of cos > t
        int steps = 20000;
        double area = 0;
        for (int s = 0; s < steps; s++) {
            double t = (s + 0.5) / steps;
            long above = java.util.Arrays.stream(cos).filter(c -> c > t).count();
            area += (double) above / cos.length / steps;
        }
        assertEquals(area, d.auc(), 1e-3);
        assertEquals(200, java.util.Arrays.stream(d.histogram()).sum());
    }

    @Test
    void gaussianBaselineHasTheMeanAndVarianceOfTheDictionary() {
        float[] like = new float[4000];
        SplittableRandom rng = new SplittableRandom(5);
        for (int q = 0; q < like.length; q++) {
            like[q] = (float) (0.3 + 2 * (rng.nextDouble() - 0.5)); // U(-0.7, 1.3): mean .3, variance 4/12 = .3333
        }
        float[] g = DictionaryConsistency.gaussianLike(like, 400, 10, 9);
        double mean = 0;
        for (float v : g) {
            mean += v;
        }
        mean /= g.length;
        double var = 0;
        for (float v : g) {
            var += (v - mean) * (v - mean);
        }
        var /= g.length;
        // 4000 draws: standard error of the mean sqrt(.333/4000) = .009, of the variance about .0075
        assertEquals(0.3, mean, 0.04);
        assertEquals(1.0 / 3, var, 0.04);
        assertArrayEquals(g, DictionaryConsistency.gaussianLike(like, 400, 10, 9), 0f);
    }
}
