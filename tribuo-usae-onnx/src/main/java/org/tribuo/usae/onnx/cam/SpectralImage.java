package org.tribuo.usae.onnx.cam;

import java.util.Random;

/**
 * MACO's image parametrisation: a learnable Fourier phase with a fixed magnitude spectrum.
 * <pre>
 * phase [3 x h x w] (the parameters)  -> standardise over all values
 *   -> z = magnitude * e^{i phase}     -> x = Re(IDFT2(z)) per channel
 *   -> standardise over all values      -> recorrelate colours (3x3)  -> sigmoid: pixels [3 x h x w] in (0, 1)
 * </pre>
 * The magnitude is a 1/f power-law template, {@code 1 / max(f, 1/max(h, w))} with {@code f} the radial
 * frequency in cycles per pixel, since no natural-image spectrum ships with the project (MACO uses ImageNet's
 * average). Only the phase moves, so the image keeps natural-image-like energy per frequency.
 * {@link #render} keeps the intermediates that {@link #backward} needs.
 */
public final class SpectralImage {
    private final int h;
    private final int w;
    private final double[] phase;
    private final double[] magnitude;
    private final Fourier2D dft;
    private Standardization phaseStd;
    private Standardization imageStd;
    private double[] pixels;

    /**
     * @param h    image height.
     * @param w    image width.
     * @param seed initial phase N(0, 1) seed.
     */
    public SpectralImage(int h, int w, long seed) {
        this.h = h;
        this.w = w;
        this.dft = new Fourier2D(h, w);
        Random r = new Random(seed);
        phase = new double[3 * h * w];
        for (int i = 0; i < phase.length; i++) {
            phase[i] = r.nextGaussian();
        }
        magnitude = powerLaw(h, w);
    }

    /** @return the 1/f magnitude template {@code [h x w]}, unshifted DFT order. */
    static double[] powerLaw(int h, int w) {
        double[] m = new double[h * w];
        double floor = 1.0 / Math.max(h, w);
        for (int y = 0; y < h; y++) {
            double fy = Math.min(y, h - y) / (double) h;
            for (int x = 0; x < w; x++) {
                double fx = Math.min(x, w - x) / (double) w;
                m[y * w + x] = 1.0 / Math.max(Math.sqrt(fy * fy + fx * fx), floor);
            }
        }
        return m;
    }

    /** @return the parameters (live, for the optimiser). */
    public double[] phase() {
        return phase;
    }

    /** @return height. */
    public int height() {
        return h;
    }

    /** @return width. */
    public int width() {
        return w;
    }

    /** @return pixels {@code [3 x h x w]} in (0, 1), RGB. */
    public double[] render() {
        int n = h * w;
        phaseStd = new Standardization(phase);
        double[] x = new double[3 * n];
        double[] re = new double[n];
        double[] im = new double[n];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                double ph = phaseStd.y[c * n + p];
                re[p] = magnitude[p] * Math.cos(ph);
                im[p] = magnitude[p] * Math.sin(ph);
            }
            dft.transform(re, im, +1);
            for (int p = 0; p < n; p++) {
                x[c * n + p] = re[p] / n;
            }
        }
        imageStd = new Standardization(x);
        double[] rgb = ColorRecorrelation.apply(imageStd.y, n);
        pixels = new double[3 * n];
        for (int i = 0; i < rgb.length; i++) {
            pixels[i] = 1 / (1 + Math.exp(-rgb[i]));
        }
        return pixels.clone();
    }

    /**
     * @param dPixels gradient of the loss with respect to the last {@link #render}'s pixels.
     * @return the gradient with respect to the phase.
     */
    public double[] backward(double[] dPixels) {
        int n = h * w;
        double[] dRgb = new double[3 * n];
        for (int i = 0; i < dRgb.length; i++) {
            dRgb[i] = dPixels[i] * pixels[i] * (1 - pixels[i]);
        }
        double[] dx = imageStd.backward(ColorRecorrelation.adjoint(dRgb, n));
        double[] dPhaseStd = new double[3 * n];
        double[] re = new double[n];
        double[] im = new double[n];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                re[p] = dx[c * n + p];
                im[p] = 0;
            }
            // G = dL/dRe(z) + i dL/dIm(z) = (1/n) DFT(dx) for x = Re((1/n) sum_k z_k e^{+i theta}).
            dft.transform(re, im, -1);
            for (int p = 0; p < n; p++) {
                double gr = re[p] / n;
                double gi = im[p] / n;
                double ph = phaseStd.y[c * n + p];
                // z = M e^{i ph}: dL/dph = M (cos(ph) Im G - sin(ph) Re G).
                dPhaseStd[c * n + p] = magnitude[p] * (Math.cos(ph) * gi - Math.sin(ph) * gr);
            }
        }
        return phaseStd.backward(dPhaseStd);
    }
}
