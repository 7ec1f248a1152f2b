package org.tribuo.usae.onnx.cam;

/**
 * The 2-D discrete Fourier transform of an {@code [h x w]} complex array, computed separably (rows, then
 * columns) from cosine/sine tables, in double. O(h w (h + w)): meant for the small images activation
 * maximisation optimises, where its simplicity beats an FFT.
 *
 * <p>{@link #transform} with {@code sign = -1} is the forward DFT {@code X_k = sum_n x_n e^{-2 pi i k.n / N}};
 * {@code sign = +1} is the unnormalised inverse (divide by {@code h w} for the true inverse).
 */
public final class Fourier2D {
    private final int h;
    private final int w;
    private final double[] cosH;
    private final double[] sinH;
    private final double[] cosW;
    private final double[] sinW;

    /** @param h rows. @param w columns. */
    public Fourier2D(int h, int w) {
        this.h = h;
        this.w = w;
        cosH = new double[h];
        sinH = new double[h];
        for (int i = 0; i < h; i++) {
            cosH[i] = Math.cos(2 * Math.PI * i / h);
            sinH[i] = Math.sin(2 * Math.PI * i / h);
        }
        cosW = new double[w];
        sinW = new double[w];
        for (int i = 0; i < w; i++) {
            cosW[i] = Math.cos(2 * Math.PI * i / w);
            sinW[i] = Math.sin(2 * Math.PI * i / w);
        }
    }

    /**
     * Transforms in place.
     *
     * @param re   {@code [h x w]} real parts.
     * @param im   {@code [h x w]} imaginary parts.
     * @param sign -1 forward, +1 inverse (unnormalised).
     */
    public void transform(double[] re, double[] im, int sign) {
        double[] rowRe = new double[w];
        double[] rowIm = new double[w];
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < w; k++) {
                double sr = 0;
                double si = 0;
                for (int n = 0; n < w; n++) {
                    int t = (int) ((long) k * n % w);
                    double c = cosW[t];
                    double s = sign * sinW[t];
                    double xr = re[y * w + n];
                    double xi = im[y * w + n];
                    sr += xr * c - xi * s;
                    si += xr * s + xi * c;
                }
                rowRe[k] = sr;
                rowIm[k] = si;
            }
            System.arraycopy(rowRe, 0, re, y * w, w);
            System.arraycopy(rowIm, 0, im, y * w, w);
        }
        double[] colRe = new double[h];
        double[] colIm = new double[h];
        for (int x = 0; x < w; x++) {
            for (int k = 0; k < h; k++) {
                double sr = 0;
                double si = 0;
                for (int n = 0; n < h; n++) {
                    int t = (int) ((long) k * n % h);
                    double c = cosH[t];
                    double s = sign * sinH[t];
                    double xr = re[n * w + x];
                    double xi = im[n * w + x];
                    sr += xr * c - xi * s;
                    si += xr * s + xi * c;
                }
                colRe[k] = sr;
                colIm[k] = si;
            }
            for (int k = 0; k < h; k++) {
                re[k * w + x] = colRe[k];
                im[k * w + x] = colIm[k];
            }
        }
    }
}
