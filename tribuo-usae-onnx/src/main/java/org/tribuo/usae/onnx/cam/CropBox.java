package org.tribuo.usae.onnx.cam;

import java.util.Random;

/**
 * An axis-aligned box inside an {@code [ih x iw]} image, resampled bilinearly to {@code [oh x ow]}; the
 * resampling is linear, and {@link #adjoint} is its transpose (for gradients).
 *
 * @param y0 top edge, pixels (continuous).
 * @param x0 left edge.
 * @param bh box height.
 * @param bw box width.
 */
public record CropBox(double y0, double x0, double bh, double bw) {

    /**
     * MACO's crop: centre ~ N(0.5, 0.15) of each side, side ~ U(minFraction, maxFraction) of each side (the box
     * keeps the image's aspect), clamped inside the image.
     */
    static CropBox random(Random r, int ih, int iw, double minFraction, double maxFraction) {
        double f = minFraction + (maxFraction - minFraction) * r.nextDouble();
        double bh = f * ih;
        double bw = f * iw;
        double cy = (0.5 + 0.15 * r.nextGaussian()) * ih;
        double cx = (0.5 + 0.15 * r.nextGaussian()) * iw;
        double y0 = Math.max(0, Math.min(ih - bh, cy - bh / 2));
        double x0 = Math.max(0, Math.min(iw - bw, cx - bw / 2));
        return new CropBox(y0, x0, bh, bw);
    }

    /** @return the whole image. */
    static CropBox whole(int ih, int iw) {
        return new CropBox(0, 0, ih, iw);
    }

    /**
     * @param image {@code [3 x ih x iw]}.
     * @return {@code [3 x oh x ow]} sampled at the centres of the output pixels.
     */
    double[] sample(double[] image, int ih, int iw, int oh, int ow) {
        double[] out = new double[3 * oh * ow];
        visit(ih, iw, oh, ow, (c, o, i, wgt) -> out[c * oh * ow + o] += wgt * image[c * ih * iw + i]);
        return out;
    }

    /** @return {@code [3 x ih x iw]}: the transpose of {@link #sample} applied to {@code g [3 x oh x ow]}. */
    double[] adjoint(double[] g, int ih, int iw, int oh, int ow) {
        double[] out = new double[3 * ih * iw];
        visit(ih, iw, oh, ow, (c, o, i, wgt) -> out[c * ih * iw + i] += wgt * g[c * oh * ow + o]);
        return out;
    }

    private interface Tap {
        void add(int channel, int outIndex, int inIndex, double weight);
    }

    private void visit(int ih, int iw, int oh, int ow, Tap tap) {
        for (int oy = 0; oy < oh; oy++) {
            double sy = Math.max(0, Math.min(ih - 1, y0 + (oy + 0.5) * bh / oh - 0.5));
            int y = Math.min((int) Math.floor(sy), ih - 2 < 0 ? 0 : ih - 2);
            double fy = ih == 1 ? 0 : sy - y;
            for (int ox = 0; ox < ow; ox++) {
                double sx = Math.max(0, Math.min(iw - 1, x0 + (ox + 0.5) * bw / ow - 0.5));
                int x = Math.min((int) Math.floor(sx), iw - 2 < 0 ? 0 : iw - 2);
                double fx = iw == 1 ? 0 : sx - x;
                int o = oy * ow + ox;
                int y1 = Math.min(y + 1, ih - 1);
                int x1 = Math.min(x + 1, iw - 1);
                for (int c = 0; c < 3; c++) {
                    tap.add(c, o, y * iw + x, (1 - fy) * (1 - fx));
                    tap.add(c, o, y * iw + x1, (1 - fy) * fx);
                    tap.add(c, o, y1 * iw + x, fy * (1 - fx));
                    tap.add(c, o, y1 * iw + x1, fy * fx);
                }
            }
        }
    }
}
