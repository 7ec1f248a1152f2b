package org.tribuo.usae.onnx.cam;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** PNG pictures of a {@link MacoResult}: the optimised image, and its attribution map in grey. */
public final class CamPictures {
    private CamPictures() {
    }

    /** @param r a result. @return the image as an 8-bit RGB PNG. */
    public static byte[] imagePng(MacoResult r) {
        int h = r.height();
        int w = r.width();
        int n = h * w;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                img.setRGB(x, y, (byte8(r.pixels()[p]) << 16) | (byte8(r.pixels()[n + p]) << 8) | byte8(r.pixels()[2 * n + p]));
            }
        }
        return png(img);
    }

    /**
     * @param r a result.
     * @return the attribution map as a grey PNG, white = most gradient, scaled to its 99th percentile (so a few
     *         extreme pixels do not turn the rest black).
     */
    public static byte[] attributionPng(MacoResult r) {
        float[] a = r.attribution();
        float[] sorted = a.clone();
        Arrays.sort(sorted);
        float top = sorted[Math.min(sorted.length - 1, (int) (0.99 * sorted.length))];
        float scale = top > 0 ? 1f / top : 0f;
        BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int g = byte8(a[y * r.width() + x] * scale);
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return png(img);
    }

    private static int byte8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG failed", e);
        }
        return out.toByteArray();
    }
}
