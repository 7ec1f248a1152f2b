package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LrScheduleTest {
    @Test
    void warmupIsALinspaceAndCosineStartsAtBase() {
        LrSchedule s = LrSchedule.cosine(3e-4, 1e-6, 1e-6, 100, 11);
        assertEquals(1e-6, s.at(0), 1e-15);
        assertEquals(1e-6 + (3e-4 - 1e-6) / 2, s.at(5), 1e-15);
        assertEquals(3e-4, s.at(10), 1e-15);   // linspace ends at base
        assertEquals(3e-4, s.at(11), 1e-15);   // cosine index 0
        assertEquals(1e-6, s.at(100), 0.0);   // past the end: final value
        assertEquals(1e-6, s.at(5000), 0.0);
        // cosine index i over len = total - warmup = 89 steps: half way is the mean of base and final
        assertEquals((3e-4 + 1e-6) / 2, LrSchedule.cosine(3e-4, 1e-6, 1e-6, 111, 11).at(61), 1e-15);
    }

    @Test
    void perSourceQuirkLeavesTheRateNearTwoPointThreeEMinusFourAfterThirtyEpochsWithThreeModels() {
        long epoch = 1000;
        LrSchedule s = LrSchedule.cosine(3e-4, 1e-6, 1e-6, 30 * epoch, epoch);
        // spec §2.4: each model's schedule advances about 1/3 as fast, ending near index 10 epochs
        assertEquals(2.3e-4, s.at(10 * epoch), 0.06e-4);
    }

    @Test
    void constantAndValidation() {
        assertEquals(1e-4, LrSchedule.constant(1e-4).at(123456), 0.0);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(3e-4, 1e-6, 0, 10, 11));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0, 1e-6, 0, 10, 1));
    }
}
