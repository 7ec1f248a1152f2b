package org.tribuo.usae.onnx.extract;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decoding one image file with {@link ImageIO} into the extraction's {@link Image}: 3-channel RGB on
 * the 0..255 scale (grey replicated, palette and 16-bit images converted), alpha dropped or composited
 * on a background, and the alpha channel itself as a 1-channel image in [0, 1].
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * Reads one image as 3-channel RGB, 0..255, alpha dropped.
     *
     * @param f the file.
     * @return the image.
     * @throws IllegalArgumentException naming the file when it cannot be decoded.
     */
    public static Image read(Path f) {
        return read(f, null);
    }

    /**
     * Reads one image as 3-channel RGB, 0..255.
     *
     * @param f          the file.
     * @param background {R, G, B} on 0..255 to composite transparent pixels on, or null to drop alpha.
     * @return the image, {@code h x w x 3}.
     * @throws IllegalArgumentException naming the file when it cannot be decoded.
     */
    public static Image read(Path f, float[] background) {
        BufferedImage bi = decode(f);
        int h = bi.getHeight();
        int w = bi.getWidth();
        float[] px = new float[h * w * 3];
        ColorModel cm = bi.getColorModel();
        Raster r = bi.getRaster();
        if (grey(cm)) {
            // Grey (with or without alpha): the stored level, not getRGB's linear-to-sRGB conversion.
            double max = (1L << cm.getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (float) (r.getSample(x, y, 0) * 255.0 / max);
                    int o = (y * w + x) * 3;
                    px[o] = v;
                    px[o + 1] = v;
                    px[o + 2] = v;
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                bi.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    px[o] = (row[x] >> 16) & 0xff;
                    px[o + 1] = (row[x] >> 8) & 0xff;
                    px[o + 2] = row[x] & 0xff;
                }
            }
        }
        if (background != null && cm.hasAlpha()) {
            float[] a = alpha(bi);
            for (int p = 0; p < h * w; p++) {
                for (int ch = 0; ch < 3; ch++) {
                    px[p * 3 + ch] = a[p] * px[p * 3 + ch] + (1f - a[p]) * background[ch];
                }
            }
        }
        return new Image(h, w, 3, px);
    }

    /**
     * Reads one image's alpha plane.
     *
     * @param f the file.
     * @return {@code h x w x 1}, alpha on 0..1 (1 everywhere when the image has no alpha).
     * @throws IllegalArgumentException naming the file when it cannot be decoded.
     */
    public static Image readAlpha(Path f) {
        BufferedImage bi = decode(f);
        float[] a = bi.getColorModel().hasAlpha() ? alpha(bi) : null;
        if (a == null) {
            a = new float[bi.getHeight() * bi.getWidth()];
            java.util.Arrays.fill(a, 1f);
        }
        return new Image(bi.getHeight(), bi.getWidth(), 1, a);
    }

    private static BufferedImage decode(Path f) {
        BufferedImage bi;
        try {
            bi = ImageIO.read(f.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read image " + f + ": " + e.getMessage(), e);
        }
        if (bi == null) {
            throw new IllegalArgumentException("cannot read image " + f + ": not a PNG/JPEG/BMP/GIF image ImageIO can decode");
        }
        return bi;
    }

    private static boolean grey(ColorModel cm) {
        return !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /** @return alpha on 0..1 of an image whose colour model has alpha, row-major. */
    private static float[] alpha(BufferedImage bi) {
        int h = bi.getHeight();
        int w = bi.getWidth();
        float[] a = new float[h * w];
        ColorModel cm = bi.getColorModel();
        if (grey(cm) && bi.getRaster().getNumBands() > 1) {
            Raster r = bi.getRaster();
            int band = r.getNumBands() - 1;
            double max = (1L << cm.getComponentSize(band)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    a[y * w + x] = (float) (r.getSample(x, y, band) / max);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                bi.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    a[y * w + x] = (row[x] >>> 24) / 255f;
                }
            }
        }
        return a;
    }
}
