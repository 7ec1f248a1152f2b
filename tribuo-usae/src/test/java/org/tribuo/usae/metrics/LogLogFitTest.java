package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LogLogFitTest {

    @Test
    void handMadeFit() {
        // logs: x = 0, 1, 2; y = 0, 2, 1. Means 1, 1. Sxx = 1+0+1 = 2, Syy = 1+1+0 = 2,
        // Sxy = (-1)(-1) + 0*1 + 1*0 = 1 -> slope 1/2, r = 1/sqrt(2*2) = 0.5, intercept 1 - 0.5 = 0.5.
        // The points with x <= 0 or y <= 0 are left out.
        double[] x = {1, 10, 100, 0, 5};
        double[] y = {1, 100, 10, 3, -2};
        LogLogFit f = LogLogFit.of(x, y, 0);
        assertEquals(3, f.concepts());
        assertEquals(0.5, f.slope(), 1e-12);
        assertEquals(0.5, f.pearson(), 1e-12);
        assertEquals(0.5, f.intercept(), 1e-12);
        assertEquals(1, f.lowestX(), 0.0);
        assertEquals(100, f.highestX(), 0.0);
        assertEquals(Math.pow(10, 0.5 + 0.5 * 2), f.predict(100), 1e-9);
    }

    @Test
    void powerLawIsRecoveredAndSubsetFiltersByX() {
        // y = 10 * x^0.23 exactly -> slope 0.23, r 1, intercept log10(10) = 1
        double[] x = {2, 30, 400, 5000, 60000};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 10 * Math.pow(x[i], 0.23);
        }
        LogLogFit f = LogLogFit.of(x, y, 0);
        assertEquals(0.23, f.slope(), 1e-12);
        assertEquals(1.0, f.pearson(), 1e-12);
        assertEquals(1.0, f.intercept(), 1e-12);
        LogLogFit sub = LogLogFit.of(x, y, 1000);
        assertEquals(2, sub.concepts());
        assertEquals(5000, sub.lowestX(), 0.0);
    }

    @Test
    void tooFewPointsGiveNaN() {
        LogLogFit f = LogLogFit.of(new double[]{3}, new double[]{4}, 0);
        assertEquals(1, f.concepts());
        assertTrue(Double.isNaN(f.slope()) && Double.isNaN(f.pearson()));
    }
}
