package org.tribuo.usae.onnx.cam;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectralImageTest {

    @Test
    void dftOfADeltaIsAPlaneWaveAndTheInverseUndoesIt() {
        // x = delta at (1, 2) in a 3x4 grid: X[k, l] = e^{-2 pi i (k/3 + 2 l/4)}.
        Fourier2D f = new Fourier2D(3, 4);
        double[] re = new double[12];
        double[] im = new double[12];
        re[1 * 4 + 2] = 1;
        f.transform(re, im, -1);
        for (int k = 0; k < 3; k++) {
            for (int l = 0; l < 4; l++) {
                double angle = -2 * Math.PI * (k / 3.0 + 2 * l / 4.0);
                assertEquals(Math.cos(angle), re[k * 4 + l], 1e-12);
                assertEquals(Math.sin(angle), im[k * 4 + l], 1e-12);
            }
        }
        f.transform(re, im, +1);
        for (int i = 0; i < 12; i++) {
            assertEquals(i == 6 ? 12 : 0, re[i], 1e-12);
            assertEquals(0, im[i], 1e-12);
        }
    }

    @Test
    void phaseGradientMatchesCentralDifferences() {
        // Loss = <a, pixels> for a random a; everything is double, so h = 1e-6 differences agree to ~1e-8.
        SpectralImage img = new SpectralImage(6, 8, 3);
        Random r = new Random(4);
        double[] a = new double[3 * 48];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        img.render();
        double[] grad = img.backward(a);
        double[] phase = img.phase();
        for (int trial = 0; trial < 6; trial++) {
            int i = r.nextInt(phase.length);
            double keep = phase[i];
            phase[i] = keep + 1e-6;
            double plus = dot(a, img.render());
            phase[i] = keep - 1e-6;
            double minus = dot(a, img.render());
            phase[i] = keep;
            double numeric = (plus - minus) / 2e-6;
            assertEquals(numeric, grad[i], 1e-6 + 1e-5 * Math.abs(numeric), "phase " + i);
        }
    }

    @Test
    void pixelsAreInTheOpenUnitIntervalAndVary() {
        double[] px = new SpectralImage(16, 16, 1).render();
        double min = 1;
        double max = 0;
        for (double v : px) {
            assertTrue(v > 0 && v < 1);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(max - min > 0.3, "a standardised image spans a good part of the sigmoid: " + min + ".." + max);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
