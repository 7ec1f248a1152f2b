package org.tribuo.usae.onnx.report;

import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageBackboneSpec;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.extract.ImagePreprocessor;
import org.tribuo.usae.onnx.extract.ImageSource;
import org.tribuo.usae.report.ImageGallery;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The report's image gallery over the images of an {@link ImageSource}: image extraction numbers its
 * inputs by their index in {@link ImageSource.Loaded#images()} (input id = index), so the same load
 * gives the image behind every row of the activation set. The token grid is the one the backbones
 * left after their {@code TokenPolicy} (e.g. 14x14 after resampling).
 *
 * <p>Tokens tile the image as the backbone saw it, after its {@link ImagePreprocessor} resized it and
 * pasted it on a canvas (the OCR config puts a 28x28 digit, resized to 40x40, in the middle of a 48x96
 * canvas). {@link #forExtraction} and {@link #onCanvas} therefore draw that canvas, so the grid laid over
 * it lines up with what each token covered; {@link #of} draws the source images as they are, which lines
 * up only when the preprocessor just resizes them to the full input size.
 */
public final class ImageSourceGallery {
    private ImageSourceGallery() {
    }

    /**
     * The gallery of an extraction's inputs drawn as its first backbone saw them.
     *
     * @param extraction     the extraction that wrote the activation set (its source is loaded here).
     * @param tokensPerInput token positions per input in the set.
     * @param gridH          token grid rows, or 0 to work the grid out with {@link TokenGridShape#of}.
     * @param gridW          token grid columns, or 0.
     * @return the gallery.
     * @throws IllegalArgumentException when the grid cannot be worked out or does not hold the tokens.
     */
    public static ImageGallery forExtraction(ImageExtraction extraction, int tokensPerInput, int gridH, int gridW) {
        ImageBackboneSpec first = extraction.backbones().get(0);
        int[] grid = gridH > 0 ? ImageGallery.grid(tokensPerInput, gridH, gridW) : TokenGridShape.of(first, tokensPerInput);
        return onCanvas(extraction.source().load(), first.preprocessor(), grid[0], grid[1]);
    }

    /**
     * @param loaded       the loaded source (same configuration as the extraction).
     * @param preprocessor the backbone's preprocessor: each image is drawn as its {@link ImagePreprocessor#canvas}.
     * @param gridH        token grid rows, or 0 to infer a square grid.
     * @param gridW        token grid columns, or 0.
     * @return the gallery.
     */
    public static ImageGallery onCanvas(ImageSource.Loaded loaded, ImagePreprocessor preprocessor, int gridH, int gridW) {
        List<Image> images = loaded.images();
        return new ImageGallery(id -> toBufferedImage(preprocessor.canvas(image(images, id))), gridH, gridW);
    }

    /**
     * @param loaded the loaded source (same configuration as the extraction).
     * @param gridH  token grid rows, or 0 to infer a square grid.
     * @param gridW  token grid columns, or 0.
     * @return the gallery of the source images as they are (see the class comment for when that lines up).
     */
    public static ImageGallery of(ImageSource.Loaded loaded, int gridH, int gridW) {
        List<Image> images = loaded.images();
        return new ImageGallery(id -> toBufferedImage(image(images, id)), gridH, gridW);
    }

    private static Image image(List<Image> images, long id) {
        if (id < 0 || id >= images.size()) {
            throw new IllegalArgumentException("input id " + id + " is not an image of the source ("
                    + images.size() + " images, ids 0.." + (images.size() - 1) + ")");
        }
        return images.get((int) id);
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
