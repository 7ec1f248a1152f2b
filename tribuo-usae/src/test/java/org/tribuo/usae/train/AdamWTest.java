package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamWTest {
    private static final AdamWConfig OFFICIAL = new AdamWConfig(0.9, 0.999, 1e-8, 1e-5);

    @Test
    void firstAdamStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.3f, -4f, 1e-3f};
        new AdamW(3).step(p, g, 0.01, new AdamWConfig(0.9, 0.999, 1e-8, 0));
        assertEquals(0.99f, p[0], 1e-6);
        assertEquals(-1.99f, p[1], 1e-6);
        assertEquals(0.49f, p[2], 1e-5); // |g| = 1e-3 >> eps, so still ~lr
    }

    @Test
    void matchesADoublePrecisionTranscriptionOfPyTorchAdamW() {
        Random rng = new Random(7);
        int n = 50;
        float[] p = new float[n];
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) rng.nextGaussian();
            ref[i] = p[i];
        }
        double[] m = new double[n];
        double[] v = new double[n];
        AdamW opt = new AdamW(n);
        double lr = 3e-4;
        for (int t = 1; t <= 20; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) rng.nextGaussian();
            }
            opt.step(p, g, lr, OFFICIAL);
            for (int i = 0; i < n; i++) {
                ref[i] *= 1 - lr * OFFICIAL.weightDecay();
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                ref[i] -= lr * mHat / denom;
            }
        }
        assertEquals(20, opt.steps());
        for (int i = 0; i < n; i++) {
            assertEquals(ref[i], p[i], 1e-6, "param " + i);
        }
    }

    @Test
    void weightDecayIsDecoupled() {
        float[] p = {2f};
        new AdamW(1).step(p, new float[]{0f}, 0.1, new AdamWConfig(0.9, 0.999, 1e-8, 0.5));
        assertEquals(2f * (1 - 0.1f * 0.5f), p[0], 1e-7); // zero gradient: only the decay moves it
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(0.9, 0.999, 0, 0));
    }
}
