package org.tribuo.usae.onnx.report;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageSource;
import org.tribuo.usae.report.ConceptExample;
import org.tribuo.usae.report.ConceptPanel;
import org.tribuo.usae.report.ImageGallery;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageSourceGalleryTest {

    @Test
    void greyAndRgbPixelsConvertWithClamping() {
        // grey 1x2: 0 -> black, 300 -> clamped to 255 (white)
        BufferedImage grey = ImageSourceGallery.toBufferedImage(new Image(1, 2, 1, new float[]{0, 300}));
        assertEquals(0x000000, grey.getRGB(0, 0) & 0xffffff);
        assertEquals(0xffffff, grey.getRGB(1, 0) & 0xffffff);
        // rgb 2x1, channels last: (10, 20, 30) and (-5 -> 0, 127.6 -> 128, 255)
        BufferedImage rgb = ImageSourceGallery.toBufferedImage(new Image(2, 1, 3, new float[]{10, 20, 30, -5, 127.6f, 255}));
        assertEquals(0x0a141e, rgb.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0080ff, rgb.getRGB(0, 1) & 0xffffff);
    }

    @Test
    void inputIdIsTheIndexInTheLoadedImages() {
        Image black = new Image(4, 4, 1, new float[16]);
        float[] white = new float[16];
        java.util.Arrays.fill(white, 255);
        ImageSource.Loaded loaded = new ImageSource.Loaded(List.of(black, new Image(4, 4, 1, white)), null, null);
        ImageGallery g = ImageSourceGallery.of(loaded, 0, 0);
        ConceptPanel panel = new ConceptPanel(0, List.of("m"), List.of());
        // 4 tokens -> inferred 2x2 grid; input 1 is the white image
        String html = g.render(panel, new ConceptExample(1, 1, new float[][]{{0, 0, 0, 1}}));
        assertTrue(html.contains("data-input=\"1\""));
        assertEquals(1, html.split("class=\"cell\"", -1).length - 1);
        String white64 = ImageGallery.pngDataUri(ImageSourceGallery.toBufferedImage(loaded.images().get(1)), 224);
        assertTrue(html.contains(white64), "the embedded image must be image 1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.render(panel, new ConceptExample(2, 1, new float[][]{{0, 0, 0, 1}})));
        assertTrue(e.getMessage().contains("input id 2 is not an image of the source (2 images"), e.getMessage());
    }
}
