package org.tribuo.usae.onnx.extract;

/**
 * How much of each token cell an image's foreground covers, for dropping background tokens of
 * isolated objects on a blank canvas (e.g. cut-out photos with alpha).
 *
 * <p>The foreground is where alpha is above 0, taken at the source resolution ({@code 1} there, else
 * {@code 0}). That 0/1 plane goes through the backbone's geometry exactly as the pixels do
 * ({@link ImagePreprocessor#place}: the same resize filter, pasted on the canvas with 0 around it), so
 * canvas padding counts as background. The token grid {@code gridH x gridW} tiles the
 * {@code height x width} canvas evenly: cell {@code (y, x)} (token position {@code y*gridW + x}) is
 * the canvas rectangle {@code [y*height/gridH, (y+1)*height/gridH) x [x*width/gridW, (x+1)*width/gridW)}
 * in continuous pixel coordinates, and its coverage is the mean of the placed plane over that
 * rectangle, pixels cut by its edges weighted by the part inside. This is the same tiling the report
 * draws heatmap cells with.
 */
public final class ForegroundCoverage {
    /** Slack for a coverage that is exactly the threshold but lost a few ulps to the weights. */
    static final double SLACK = 1e-6;

    private ForegroundCoverage() {
    }

    /**
     * @param alpha        the image's alpha plane, {@code h x w x 1}, any scale with 0 = transparent.
     * @param preprocessor the backbone's preprocessor (its canvas is what the tokens tile).
     * @param gridH        token grid rows.
     * @param gridW        token grid columns.
     * @return per token position {@code y*gridW + x}, the covered fraction in 0..1, {@code [gridH*gridW]}.
     */
    public static float[] of(Image alpha, ImagePreprocessor preprocessor, int gridH, int gridW) {
        if (alpha.channels() != 1) {
            throw new IllegalArgumentException("foreground coverage needs a 1-channel alpha plane, got " + alpha.channels() + " channels");
        }
        if (gridH <= 0 || gridW <= 0) {
            throw new IllegalArgumentException("foreground coverage: token grid must be positive, got " + gridH + "x" + gridW);
        }
        float[] a = alpha.data();
        float[] mask = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mask[i] = a[i] > 0 ? 1f : 0f;
        }
        Image placed = preprocessor.place(new Image(alpha.h(), alpha.w(), 1, mask), 0f);
        return cellMeans(placed, gridH, gridW);
    }

    /**
     * @param plane  {@code H x W x 1}.
     * @param gridH  rows of cells.
     * @param gridW  columns of cells.
     * @return the area-weighted mean of the plane over each cell, {@code [gridH*gridW]}.
     */
    static float[] cellMeans(Image plane, int gridH, int gridW) {
        int h = plane.h();
        int w = plane.w();
        double[][] rowW = spans(h, gridH);
        double[][] colW = spans(w, gridW);
        float[] d = plane.data();
        float[] out = new float[gridH * gridW];
        for (int cy = 0; cy < gridH; cy++) {
            for (int cx = 0; cx < gridW; cx++) {
                double sum = 0;
                double area = 0;
                for (int y = 0; y < h; y++) {
                    double wy = rowW[cy][y];
                    if (wy == 0) {
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        double wx = colW[cx][x];
                        if (wx != 0) {
                            sum += wy * wx * d[y * w + x];
                            area += wy * wx;
                        }
                    }
                }
                out[cy * gridW + cx] = (float) (sum / area);
            }
        }
        return out;
    }

    /** @return per cell, per pixel, the length of pixel {@code [i, i+1)} inside the cell's span. */
    private static double[][] spans(int pixels, int cells) {
        double[][] w = new double[cells][pixels];
        for (int c = 0; c < cells; c++) {
            double lo = (double) c * pixels / cells;
            double hi = (double) (c + 1) * pixels / cells;
            for (int i = (int) Math.floor(lo); i < Math.min(pixels, (int) Math.ceil(hi)); i++) {
                w[c][i] = Math.max(0, Math.min(i + 1, hi) - Math.max(i, lo));
            }
        }
        return w;
    }

    /**
     * @param coverage      per token position, covered fraction.
     * @param minForeground the least coverage a kept token needs (0 keeps all).
     * @return per token position, whether it is kept ({@code coverage >= minForeground}, up to
     * {@value #SLACK}).
     */
    public static boolean[] keep(float[] coverage, double minForeground) {
        boolean[] k = new boolean[coverage.length];
        for (int p = 0; p < k.length; p++) {
            k[p] = minForeground <= 0 || coverage[p] >= minForeground - SLACK;
        }
        return k;
    }
}
