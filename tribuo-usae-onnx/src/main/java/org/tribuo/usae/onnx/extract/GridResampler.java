package org.tribuo.usae.onnx.extract;

/**
 * Antialiased bilinear resize of token grids, matching PyTorch
 * {@code F.interpolate(x, size=(oh, ow), mode="bilinear", antialias=True, align_corners=False)}
 * (and PIL's BILINEAR resize, which it was written to match).
 *
 * <p>It is separable: first along the width, then along the height. Per axis, with input size
 * {@code n}, output size {@code m} and {@code s = n/m}: support {@code = max(s, 1)}, inverse scale
 * {@code = 1/max(s, 1)}; output index {@code o} has centre {@code c = (o+0.5)s}, source range
 * {@code [max(0, (int)(c - support + 0.5)), min(n, (int)(c + support + 0.5)))} and weights
 * {@code max(0, 1 - |(x - c + 0.5) * invscale|)}, normalized to sum 1 (aten
 * {@code _compute_indices_min_size_weights_aa}). When upsampling this is plain bilinear with
 * half-pixel centres and edge clamping; when downsampling the triangle widens to {@code s} pixels.
 * Because the weights sum to 1, resampling commutes with per-model affine standardization.
 *
 * <p>Computation is in double per axis, stored as float.
 */
public final class GridResampler {
    private GridResampler() {
    }

    /** Per-axis weights: for each output index the first source index and the weights. */
    record Axis(int[] start, double[][] weights) {
    }

    /**
     * @param in  input size.
     * @param out output size.
     * @return the weights of every output index.
     */
    static Axis axis(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("resample sizes must be positive, got " + in + " -> " + out);
        }
        double scale = (double) in / out;
        double support = scale >= 1.0 ? scale : 1.0;
        double invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
        int[] start = new int[out];
        double[][] w = new double[out][];
        for (int o = 0; o < out; o++) {
            double center = scale * (o + 0.5);
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), in);
            double[] ws = new double[Math.max(xmax - xmin, 0)];
            double total = 0;
            for (int j = 0; j < ws.length; j++) {
                double x = (j + xmin - center + 0.5) * invscale;
                double f = Math.max(0.0, 1.0 - Math.abs(x));
                ws[j] = f;
                total += f;
            }
            if (total > 0) {
                for (int j = 0; j < ws.length; j++) {
                    ws[j] /= total;
                }
            }
            start[o] = xmin;
            w[o] = ws;
        }
        return new Axis(start, w);
    }

    /**
     * Resizes every input of a batch of grids.
     *
     * @param g  the grids.
     * @param oh output rows.
     * @param ow output columns.
     * @return the resized grids ({@code g} itself when the size already matches).
     */
    public static TokenGrid resize(TokenGrid g, int oh, int ow) {
        if (g.h() == oh && g.w() == ow) {
            return g;
        }
        int b = g.batch(), h = g.h(), w = g.w(), c = g.c();
        Axis ax = axis(w, ow);
        Axis ay = axis(h, oh);
        float[] src = g.data();
        float[] out = new float[b * oh * ow * c];
        double[] tmp = new double[h * ow * c];
        for (int n = 0; n < b; n++) {
            int base = n * h * w * c;
            // Width pass: [h, w, c] -> [h, ow, c].
            java.util.Arrays.fill(tmp, 0.0);
            for (int y = 0; y < h; y++) {
                for (int ox = 0; ox < ow; ox++) {
                    double[] ws = ax.weights()[ox];
                    int x0 = ax.start()[ox];
                    int to = (y * ow + ox) * c;
                    for (int j = 0; j < ws.length; j++) {
                        int from = base + (y * w + x0 + j) * c;
                        double wj = ws[j];
                        for (int ch = 0; ch < c; ch++) {
                            tmp[to + ch] += wj * src[from + ch];
                        }
                    }
                }
            }
            // Height pass: [h, ow, c] -> [oh, ow, c].
            int obase = n * oh * ow * c;
            for (int oy = 0; oy < oh; oy++) {
                double[] ws = ay.weights()[oy];
                int y0 = ay.start()[oy];
                for (int ox = 0; ox < ow; ox++) {
                    int to = obase + (oy * ow + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        double s = 0;
                        for (int j = 0; j < ws.length; j++) {
                            s += ws[j] * tmp[((y0 + j) * ow + ox) * c + ch];
                        }
                        out[to + ch] = (float) s;
                    }
                }
            }
        }
        return new TokenGrid(b, oh, ow, c, out);
    }
}
