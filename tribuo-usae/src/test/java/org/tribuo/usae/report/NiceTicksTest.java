package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NiceTicksTest {

    @Test
    void linearStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        // span 0.87 over 5 gaps = 0.174 -> nice step 0.2; ends widen to 0 and 1.0
        NiceTicks.Ticks t = NiceTicks.linear(0, 0.87, 6);
        assertArrayEquals(new double[]{0, 0.2, 0.4, 0.6, 0.8, 1.0}, t.values(), 0.0);
        assertArrayEquals(new String[]{"0", "0.2", "0.4", "0.6", "0.8", "1.0"}, t.labels());
        // span 94 / 5 = 18.8 -> step 20; 3 -> 0, 97 -> 100
        t = NiceTicks.linear(3, 97, 6);
        assertEquals(20, t.step(), 0.0);
        assertArrayEquals(new double[]{0, 20, 40, 60, 80, 100}, t.values(), 0.0);
        assertArrayEquals(new String[]{"0", "20", "40", "60", "80", "100"}, t.labels());
        // span 1.25 / 5 = 0.25 -> step 0.5; -0.35 -> -0.5, 0.9 -> 1.0
        t = NiceTicks.linear(-0.35, 0.9, 6);
        assertArrayEquals(new double[]{-0.5, 0, 0.5, 1.0}, t.values(), 0.0);
        // span 0.3 / 4 = 0.075 -> step 0.1; exact decimals, no 0.30000000000000004
        t = NiceTicks.linear(0.1, 0.4, 5);
        assertArrayEquals(new double[]{0.1, 0.2, 0.3, 0.4}, t.values(), 0.0);
    }

    @Test
    void stepGrowsWhenWideningWouldExceedMaxTicks() {
        // span 9 / 2 = 4.5 -> step 5 gives 0,5,10,15 (4 ticks > 3) -> step 10: 0, 10, 20
        NiceTicks.Ticks t = NiceTicks.linear(1, 10, 3);
        assertTrue(t.values().length <= 3, java.util.Arrays.toString(t.values()));
        assertTrue(t.lo() <= 1 && t.hi() >= 10);
    }

    @Test
    void flatRangeIsWidened() {
        NiceTicks.Ticks t = NiceTicks.linear(5, 5, 6);
        assertTrue(t.lo() < 5 && t.hi() > 5);
        t = NiceTicks.linear(0, 0, 6);
        assertTrue(t.lo() <= -1 && t.hi() >= 1);
    }

    @Test
    void logTicksAreWholeDecades() {
        NiceTicks.Ticks t = NiceTicks.log(3, 2500);
        assertArrayEquals(new double[]{1, 10, 100, 1000, 10000}, t.values(), 1e-9);
        assertArrayEquals(new String[]{"1", "10", "100", "1000", "1e4"}, t.labels());
        // within one decade still two ticks; tiny and huge values in e-notation
        assertArrayEquals(new double[]{1e-7, 1e-6}, NiceTicks.log(2e-7, 5e-7).values(), 1e-20);
        assertArrayEquals(new String[]{"1e-7", "1e-6"}, NiceTicks.log(2e-7, 5e-7).labels());
        assertArrayEquals(new String[]{"0.01", "0.1"}, NiceTicks.log(0.02, 0.05).labels());
    }

    @Test
    void badRangesAreRejectedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NiceTicks.linear(2, 1, 5));
        assertTrue(e.getMessage().contains("[2.0, 1.0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NiceTicks.log(0, 10));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NiceTicks.linear(0, Double.NaN, 5));
    }
}
