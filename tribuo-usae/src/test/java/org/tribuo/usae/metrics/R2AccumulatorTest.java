package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class R2AccumulatorTest {
    private static final double TOL = 1e-12;

    @Test
    void threeDefinitionsOnOneBatch() {
        // A = [[1,2],[3,8]], Â = [[1,3],[3,8]]: one error of 1 in column 1.
        R2Accumulator acc = new R2Accumulator(2);
        acc.add(new float[]{1, 2, 3, 8}, new float[]{1, 3, 3, 8}, 2, 2);
        // Official: global mean 3.5, deviations -2.5,-1.5,-0.5,4.5 -> variance 29/4; MSE 1/4.
        assertEquals(1 - 0.25 / (29.0 / 4 + 1e-6), acc.official(), TOL);
        // Column 0: SST 2, SSE 0. Column 1: values 2,8, mean 5, SST 18, SSE 1.
        assertEquals(1 - 1.0 / 20, acc.varianceWeighted(), TOL);
        assertEquals((1 + (1 - 1.0 / 18)) / 2, acc.uniformAverage(), TOL);
        assertEquals(0.25, acc.mse(), TOL);
        assertEquals(1.0, acc.columnR2(0), TOL);
    }

    @Test
    void officialAveragesBatchesWhileOthersPool() {
        R2Accumulator batched = new R2Accumulator(2);
        // Batch 1: A = [0,2], Â = [1,1]: mean 1, variance 1, MSE 1 -> 1 - 1/(1+1e-6) ~ 0.
        batched.add(new float[]{0, 2}, new float[]{1, 1}, 1, 2);
        // Batch 2: perfect -> 1.
        batched.add(new float[]{10, 14}, new float[]{10, 14}, 1, 2);
        assertEquals(((1 - 1 / (1 + 1e-6)) + 1) / 2, batched.official(), TOL);

        R2Accumulator pooled = new R2Accumulator(2);
        pooled.add(new float[]{0, 2, 10, 14}, new float[]{1, 1, 10, 14}, 2, 2);
        // Pooled: mean 6.5, variance (42.25+20.25+12.25+56.25)/4 = 32.75, MSE 0.5.
        assertEquals(1 - 0.5 / (32.75 + 1e-6), pooled.official(), TOL);
        assertNotEquals(pooled.official(), batched.official(), 0.1);

        // The per-column scores are streaming and must not depend on the batching.
        // Column 0: 0,10 -> SST 50, SSE 1. Column 1: 2,14 -> SST 72, SSE 1.
        assertEquals(1 - 2.0 / 122, batched.varianceWeighted(), TOL);
        assertEquals(pooled.varianceWeighted(), batched.varianceWeighted(), TOL);
        assertEquals(((1 - 1.0 / 50) + (1 - 1.0 / 72)) / 2, batched.uniformAverage(), TOL);
        assertEquals(pooled.uniformAverage(), batched.uniformAverage(), TOL);
        assertEquals(0.5, batched.mse(), TOL);
        assertEquals(2, batched.batches());
        assertEquals(2, batched.rows());
    }

    @Test
    void constantColumnsFollowSklearn() {
        // Column 1 is constant 5 and perfectly predicted -> R2_1 = 1.
        R2Accumulator perfect = new R2Accumulator(2);
        perfect.add(new float[]{1, 5, 3, 5}, new float[]{1, 5, 3, 5}, 2, 2);
        assertEquals(1.0, perfect.columnR2(1), TOL);
        assertEquals(1.0, perfect.uniformAverage(), TOL);
        assertEquals(1.0, perfect.varianceWeighted(), TOL);

        // Column 1 constant but mispredicted -> R2_1 = 0; variance weighting gives it weight 0.
        R2Accumulator wrong = new R2Accumulator(2);
        wrong.add(new float[]{1, 5, 3, 5}, new float[]{1, 6, 3, 5}, 2, 2);
        assertEquals(0.0, wrong.columnR2(1), TOL);
        assertEquals(0.5, wrong.uniformAverage(), TOL);
        assertEquals(1.0, wrong.varianceWeighted(), TOL);
    }

    @Test
    void allConstantFallsBackToUniform() {
        R2Accumulator acc = new R2Accumulator(2);
        acc.add(new float[]{5, 7, 5, 7}, new float[]{5, 8, 5, 7}, 2, 2);
        assertEquals(0.5, acc.uniformAverage(), TOL);
        assertEquals(0.5, acc.varianceWeighted(), TOL);
    }

    @Test
    void constantNonDyadicColumnHasExactlyZeroVariance() {
        // 0.1f is not exactly representable; naive Σx² − nμ² would leave rounding residue and a huge
        // negative R2 for a slightly wrong prediction. The shifted sums make SST exactly 0.
        R2Accumulator acc = new R2Accumulator(1);
        for (int b = 0; b < 7; b++) {
            acc.add(new float[]{0.1f, 0.1f, 0.1f}, new float[]{0.11f, 0.1f, 0.1f}, 3, 1);
        }
        assertEquals(0.0, acc.columnR2(0), 0.0);
        assertEquals(0.0, acc.uniformAverage(), 0.0);
    }

    @Test
    void emptyIsNaNAndShapesAreChecked() {
        R2Accumulator acc = new R2Accumulator(3);
        assertTrue(Double.isNaN(acc.official()));
        assertTrue(Double.isNaN(acc.varianceWeighted()));
        assertTrue(Double.isNaN(acc.uniformAverage()));
        assertTrue(Double.isNaN(acc.mse()));
        assertThrows(IllegalArgumentException.class, () -> acc.add(new float[6], new float[6], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> acc.add(new float[6], new float[5], 2, 3));
    }

    @Test
    void nearConstantColumnCountsAsConstantInsteadOfExploding() {
        // column 0 varies normally; column 1 only by float noise (1 ulp), as a real encoder's dead dimension
        float[] target = {0f, 1f, 1f, 1.0000001f, 2f, 1f, 3f, 1.0000001f};
        float[] recon = {0f, 1.5f, 1f, 1.5f, 2f, 1.5f, 3f, 1.5f};
        R2Accumulator acc = new R2Accumulator(2);
        acc.add(target, recon, 4, 2);
        assertEquals(1.0, acc.columnR2(0), 1e-12);
        assertEquals(0.0, acc.columnR2(1), 0.0); // SSE > 0 on a constant column: 0, as sklearn's force_finite
        assertEquals(0.5, acc.uniformAverage(), 1e-12);
        assertEquals(1.0, acc.varianceWeighted(), 1e-12); // weighted by variance: the noise column carries none
    }
}
