package org.tribuo.usae.onnx.report;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.extract.ImagePreprocessor;
import org.tribuo.usae.onnx.extract.ImageSource;
import org.tribuo.usae.report.ConceptExample;
import org.tribuo.usae.report.ConceptPanel;
import org.tribuo.usae.report.ImageGallery;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The image gallery draws inputs as the backbone saw them (its preprocessor's canvas), so a spot in the
 * source image lies under the grid cell of the token that covered it. Each test decodes the PNG the
 * gallery embedded, finds the spot's centre in it, and checks it falls inside the drawn cell rectangle.
 */
class ImageGalleryAlignmentTest {
    private static final ConceptPanel PANEL = new ConceptPanel(0, List.of("m"), List.of());

    @Test
    void ocrStripsLineUpWithTheDigitOnItsCanvas() throws Exception {
        // the OCR geometry: 28x28 digit, inverted, resized to 40x40, centred on a white 48x96 canvas,
        // tokens = 12 column strips of 8 canvas pixels.
        ImagePreprocessor ocr = new ImagePreprocessor(48, 96).channels(1).invert(255f).resizeTo(40, 40).padValue(255f);
        // spot at source columns [4, 6), rows [13, 15): on the canvas x in 28 + [4, 6) * 40/28 = [33.7, 36.6),
        // centre 35.1 -> strip 35.1 / 8 = 4.4 -> token 4. (Drawn over the raw 28-wide image, strip 4 would
        // cover source x [9.3, 11.7): the spot, at x 5 -> 5 / 28 * 12 = strip 2, would miss it.)
        ImageSource.Loaded loaded = new ImageSource.Loaded(List.of(SpotImages.spot(28, 28, 13, 4)), null, null);
        ImageGallery g = ImageSourceGallery.onCanvas(loaded, ocr, 1, 12);
        Drawn d = draw(g, 12, 4);
        assertEquals(96, d.png.getWidth(), "the canvas is drawn, not the 28x28 source");
        assertEquals(48, d.png.getHeight());
        double[] c = centroid(d.png, 0xffffff); // dark spot on white
        assertEquals(35.1, c[0], 0.6);
        assertEquals(24, c[1], 0.6); // rows [13, 15), centre 14 -> 14 * 40/28 + top 4 = 24
        assertInside(c, d.cell);

        ImageGallery raw = ImageSourceGallery.of(loaded, 1, 12);
        Drawn r = draw(raw, 12, 4);
        double[] rc = centroid(r.png, 0x000000); // white spot on black
        assertFalse(rc[0] >= r.cell[0] && rc[0] < r.cell[0] + r.cell[2],
                "control: over the raw image the same cell misses the spot (x " + rc[0] + ", cell " + List.of(r.cell[0], r.cell[2]) + ")");
    }

    @Test
    void squareGridOnAPaddedCanvasLinesUpInBothAxes() throws Exception {
        // 20x20 source, 1-pixel red spot at (y 2, x 17), resized to 32x32 and centred on a black 64x64 canvas:
        // centre (2.5, 17.5) * 32/20 + 16 = (20, 44); 4x4 grid of 16-pixel cells -> cell (1, 2) = token 6.
        float[] px = new float[20 * 20 * 3];
        px[(2 * 20 + 17) * 3] = 255;
        Image src = new Image(20, 20, 3, px);
        ImagePreprocessor pre = new ImagePreprocessor(64, 64).resizeTo(32, 32).padValue(0f);
        ImageGallery g = ImageSourceGallery.onCanvas(new ImageSource.Loaded(List.of(src), null, null), pre, 4, 4);
        Drawn d = draw(g, 16, 6);
        assertEquals(64, d.png.getWidth());
        double[] c = centroid(d.png, 0x000000);
        assertEquals(44, c[0], 0.5);
        assertEquals(20, c[1], 0.5);
        assertInside(c, d.cell);
        assertArrayEquals(new double[]{32, 16, 16, 16}, d.cell, 1e-9);
    }

    @Test
    void extractionConfigGivesTheFirstBackbonesCanvasAndGrid(@TempDir Path tmp) throws Exception {
        Path xml = tmp.resolve("extract.xml");
        Files.writeString(xml, """
                <config>
                  <component name="extraction" type="org.tribuo.usae.onnx.extract.ImageExtraction">
                    <property name="source" value="spots"/>
                    <propertylist name="backbones"><item>rec</item><item>cls</item></propertylist>
                  </component>
                  <component name="spots" type="org.tribuo.usae.onnx.report.SpotImages">
                    <property name="spotX" value="4"/>
                  </component>
                  <component name="ocr-input" type="org.tribuo.usae.onnx.extract.ImagePreprocessor">
                    <property name="height" value="48"/><property name="width" value="96"/>
                    <property name="resizeHeight" value="40"/><property name="resizeWidth" value="40"/>
                    <property name="padValue" value="255"/><property name="invertMax" value="255"/>
                    <property name="channels" value="1"/>
                    <property name="scale" value="0.00392156862745098"/>
                    <propertylist name="mean"><item>0.5</item></propertylist>
                    <propertylist name="std"><item>0.5</item></propertylist>
                  </component>
                  <component name="rec" type="org.tribuo.usae.onnx.extract.ImageBackboneSpec">
                    <property name="name" value="rec"/><property name="resource" value="models/none.onnx"/>
                    <property name="tap" value="t"/><property name="layout" value="TOKENS"/>
                    <property name="preprocessor" value="ocr-input"/>
                  </component>
                  <component name="cls" type="org.tribuo.usae.onnx.extract.ImageBackboneSpec">
                    <property name="name" value="cls"/><property name="resource" value="models/none.onnx"/>
                    <property name="tap" value="t"/><property name="layout" value="NCHW"/>
                    <property name="gridHeight" value="1"/><property name="gridWidth" value="12"/>
                    <property name="preprocessor" value="ocr-input"/>
                  </component>
                </config>
                """);
        ImageExtraction ex = (ImageExtraction) new ConfigurationManager(new String[]{"-c", xml.toString()}).lookup("extraction");
        // the first backbone (TOKENS, no grid) puts its 12 tokens in one row; the same spot as above lands
        // in strip 4, drawn dark on the white canvas (mean/std are not applied to the picture)
        Drawn d = draw(ImageSourceGallery.forExtraction(ex, 12, 0, 0), 12, 4);
        assertEquals(96, d.png.getWidth());
        assertEquals(0xffffff, d.png.getRGB(0, 0) & 0xffffff, "canvas padding is drawn at its input value 255");
        assertInside(centroid(d.png, 0xffffff), d.cell);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageSourceGallery.forExtraction(ex, 12, 5, 2));
        assertTrue(e.getMessage().contains("5x2 does not hold 12 tokens"), e.getMessage());
    }

    private record Drawn(BufferedImage png, double[] cell) {
    }

    /** Renders one example whose only non-zero activation is at {@code token}; returns the PNG and that cell {x, y, w, h}. */
    private static Drawn draw(ImageGallery g, int tokens, int token) throws Exception {
        float[] a = new float[tokens];
        a[token] = 1;
        String html = g.render(PANEL, new ConceptExample(0, 1, new float[][]{a}));
        Matcher png = Pattern.compile("href=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        assertTrue(png.find(), html);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.group(1))));
        Matcher rect = Pattern.compile("<rect class=\"cell\" x=\"([^\"]+)\" y=\"([^\"]+)\" width=\"([^\"]+)\" height=\"([^\"]+)\"")
                .matcher(html);
        assertTrue(rect.find(), html);
        double[] cell = {Double.parseDouble(rect.group(1)), Double.parseDouble(rect.group(2)),
                Double.parseDouble(rect.group(3)), Double.parseDouble(rect.group(4))};
        assertFalse(rect.find(), "one non-zero token, one drawn cell");
        return new Drawn(img, cell);
    }

    /** @return the {x, y} centre (pixel centres at +0.5) of the pixels that differ from the background, weighted by how much. */
    private static double[] centroid(BufferedImage img, int background) {
        double sw = 0, sx = 0, sy = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                double w = 0;
                for (int s = 0; s < 24; s += 8) {
                    w += Math.abs(((p >> s) & 0xff) - ((background >> s) & 0xff));
                }
                sw += w;
                sx += w * (x + 0.5);
                sy += w * (y + 0.5);
            }
        }
        assertTrue(sw > 0, "no spot drawn");
        return new double[]{sx / sw, sy / sw};
    }

    private static void assertInside(double[] point, double[] cell) {
        assertTrue(point[0] >= cell[0] && point[0] < cell[0] + cell[2] && point[1] >= cell[1] && point[1] < cell[1] + cell[3],
                "spot centre " + List.of(point[0], point[1]) + " is not inside the drawn cell " + List.of(cell[0], cell[1], cell[2], cell[3]));
    }
}
