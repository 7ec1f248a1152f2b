package org.tribuo.usae.onnx.report;

import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageSource;
import org.tribuo.usae.report.ImageGallery;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The report's image gallery over the images of an {@link ImageSource}: image extraction numbers its
 * inputs by their index in {@link ImageSource.Loaded#images()} (input id = index), so the same load
 * gives the image behind every row of the activation set. The token grid is the one the backbones
 * left after their {@code TokenPolicy} (e.g. 14x14 after resampling); pass 0, 0 to infer a square.
 */
public final class ImageSourceGallery {
    private ImageSourceGallery() {
    }

    /**
     * @param loaded the loaded source (same configuration as the extraction).
     * @param gridH  token grid rows, or 0 to infer a square grid.
     * @param gridW  token grid columns, or 0.
     * @return the gallery.
     */
    public static ImageGallery of(ImageSource.Loaded loaded, int gridH, int gridW) {
        List<Image> images = loaded.images();
        return new ImageGallery(id -> {
            if (id < 0 || id >= images.size()) {
                throw new IllegalArgumentException("input id " + id + " is not an image of the source ("
                        + images.size() + " images, ids 0.." + (images.size() - 1) + ")");
            }
            return toBufferedImage(images.get((int) id));
        }, gridH, gridW);
    }

    /**
     * @param img grey or RGB pixels on the 0..255 scale (values outside are clamped).
     * @return an RGB image.
     */
    public static BufferedImage toBufferedImage(Image img) {
        BufferedImage out = new BufferedImage(img.w(), img.h(), BufferedImage.TYPE_INT_RGB);
        float[] d = img.data();
        int c = img.channels();
        for (int y = 0; y < img.h(); y++) {
            for (int x = 0; x < img.w(); x++) {
                int o = (y * img.w() + x) * c;
                int r = clamp(d[o]);
                int g = c == 3 ? clamp(d[o + 1]) : r;
                int b = c == 3 ? clamp(d[o + 2]) : r;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
