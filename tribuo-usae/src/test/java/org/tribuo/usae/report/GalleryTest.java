package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GalleryTest {

    @Test
    void textGalleryReadsInputsTsvAndHighlightsTokens(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("inputs.tsv");
        Files.writeString(f, TextGallery.HEADER + "\n0\tpos\t3\tthe cat ##s\tthe cats\n1\t\t1\t<b>\t<b>\n");
        TextGallery g = TextGallery.read(f);
        ConceptPanel panel = new ConceptPanel(4, List.of("bert", "minilm"), List.of());
        // max over models and tokens is 2 -> alpha = value / 2
        ConceptExample ex = new ConceptExample(0, 0.5, new float[][]{{0, 1, 2}, {0.5f, 0, 0}});
        Document d = SvgAssert.parse(g.render(panel, ex));
        List<Element> toks = SvgAssert.byClass(d, "span", "tok");
        assertEquals(6, toks.size());
        assertEquals("background:rgba(230,159,0,0.500)", toks.get(1).getAttribute("style"));
        assertEquals("background:rgba(230,159,0,1.000)", toks.get(2).getAttribute("style"));
        assertEquals("background:rgba(230,159,0,0.250)", toks.get(3).getAttribute("style"));
        // a continuation piece "##s" is drawn as "s", the tooltip keeps the piece and the value
        assertEquals("s", toks.get(2).getTextContent());
        assertEquals("bert \u00b7 token 2 '##s': 2.000", toks.get(2).getAttribute("title"));
        assertEquals(2, SvgAssert.byClass(d, "div", "tok-line").size());
        // markup in the data stays text
        String other = g.render(panel, new ConceptExample(1, 1, new float[][]{{1}, {1}}));
        assertTrue(other.contains("&lt;b&gt;") && !other.contains("<b>"), other);
        // the token count must match the activation rows
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.render(panel, new ConceptExample(0, 1, new float[][]{{1, 2}, {1, 2}})));
        assertTrue(e.getMessage().contains("input 0 has 3 tokens"), e.getMessage());
    }

    @Test
    void textGalleryNamesMalformedLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("inputs.tsv");
        Files.writeString(f, TextGallery.HEADER + "\n0\tpos\t2\tthe cat ##s\tthe cats\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextGallery.read(f));
        assertTrue(e.getMessage().contains("line 2: n_tokens says 2 but the tokens field holds 3"), e.getMessage());
        Files.writeString(f, TextGallery.HEADER + "\nx\tpos\t1\tcat\tcat\n");
        e = assertThrows(IllegalArgumentException.class, () -> TextGallery.read(f));
        assertTrue(e.getMessage().contains("field input_id = 'x'"), e.getMessage());
        Files.writeString(f, "id\ttext\n");
        e = assertThrows(IllegalArgumentException.class, () -> TextGallery.read(f));
        assertTrue(e.getMessage().contains("expected the header"), e.getMessage());
    }

    @Test
    void gridIsGivenOrInferredFromASquareTokenCount() {
        assertArrayEquals(new int[]{14, 14}, ImageGallery.grid(196, 0, 0));
        assertArrayEquals(new int[]{2, 3}, ImageGallery.grid(6, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageGallery.grid(6, 0, 0));
        assertTrue(e.getMessage().contains("6 tokens per image is not a square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGallery.grid(6, 2, 2));
        assertTrue(e.getMessage().contains("2x2 does not hold 6"), e.getMessage());
    }

    @Test
    void imageOverlayNormalisesEachMapAndRampsAlpha() throws Exception {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 4, 0xff0000);
        ImageGallery g = new ImageGallery(id -> id == 9 ? img : null, 1, 2);
        ConceptPanel panel = new ConceptPanel(7, List.of("dino", "siglip"), List.of());
        // dino: cells 0 and 4 -> min-max: 0 -> t 0 (no rect), 4 -> t = 4/(4 + 1e-6) ~ 1 (yellow, opaque)
        // siglip: cells 1 and 3 -> cell 0 t 0, cell 1 t ~ 1
        ConceptExample ex = new ConceptExample(9, 2, new float[][]{{0, 4}, {1, 3}});
        Document d = SvgAssert.parse(g.render(panel, ex));
        List<Element> overlays = SvgAssert.byClass(d, "svg", "overlay");
        assertEquals(2, overlays.size());
        List<Element> cells = SvgAssert.byClass(d, "rect", "cell");
        assertEquals(2, cells.size());
        assertEquals("#fde725", cells.get(0).getAttribute("fill"));
        assertEquals("1.000", cells.get(0).getAttribute("fill-opacity"));
        // grid 1x2 on a 40x20 image: the second cell starts at x = 20 and is 20 wide, 20 high
        assertEquals("20", cells.get(0).getAttribute("x"));
        assertEquals("20", cells.get(0).getAttribute("width"));
        assertEquals("20", cells.get(0).getAttribute("height"));
        assertEquals("siglip \u00b7 cell (0, 1): 3.000", cells.get(1).getElementsByTagName("title").item(0).getTextContent());
        // the PNG is embedded once; the second model's overlay reuses it by id
        assertEquals(1, d.getElementsByTagName("image").getLength());
        Element image = (Element) d.getElementsByTagName("image").item(0);
        assertEquals(1, d.getElementsByTagName("use").getLength());
        assertEquals("#" + image.getAttribute("id"), ((Element) d.getElementsByTagName("use").item(0)).getAttribute("href"));
        assertSame(image.getParentNode(), overlays.get(0));
        // the embedded PNG decodes back to the image
        String href = image.getAttribute("href");
        assertTrue(href.startsWith("data:image/png;base64,"));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(href.substring(22))));
        assertEquals(40, back.getWidth());
        assertEquals(20, back.getHeight());
        assertEquals(0xff0000, back.getRGB(3, 4) & 0xffffff);
        // a second figure gets a new id
        Document again = SvgAssert.parse(g.render(panel, ex));
        assertNotEquals(image.getAttribute("id"), ((Element) again.getElementsByTagName("image").item(0)).getAttribute("id"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.render(panel, new ConceptExample(3, 1, new float[][]{{1, 1}, {1, 1}})));
        assertTrue(e.getMessage().contains("no image for input 3"), e.getMessage());
    }

    @Test
    void missingTokenPositionsAreNaNAndDrawnBlank() throws Exception {
        // a 2x2 grid where input 0 kept only positions 1 and 2 (0 and the trailing 3 were left out, e.g.
        // background) and input 1 kept all four; concept 1 = feature 1 of each row (identity codes)
        long[] ids = {0, 0, 1, 1, 1, 1};
        long[] pos = {1, 2, 0, 1, 2, 3};
        float[] a = {0, 2, 0, /**/ 0, 4, 0, /**/ 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0};
        float[] b = {0, 3, 0, /**/ 0, 1, 0, /**/ 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0};
        org.tribuo.usae.data.InMemoryActivationSet set = new org.tribuo.usae.data.InMemoryActivationSet(
                List.of("dino", "siglip"), new int[]{3, 3}, new float[][]{a, b}, org.tribuo.usae.data.RowIndex.of(ids, pos));
        List<ConceptPanel> panels = ConceptExamples.find(IdentityModels.identity(List.of("dino", "siglip"), 3, 1),
                set, new int[]{1}, 2, 4);
        ConceptExample ex = panels.get(0).examples().get(0);
        assertEquals(0, ex.inputId()); // mean over its own rows: (2 + 4 + 3 + 1) / 4 = 2.5 > 1
        assertEquals(2.5, ex.score(), 1e-6);
        assertEquals(3, ex.tokens()); // positions 0..2 seen; 3 has no row and lies beyond
        assertTrue(Float.isNaN(ex.activations()[0][0]) && Float.isNaN(ex.activations()[1][0]));
        assertArrayEquals(new float[]{2, 4}, java.util.Arrays.copyOfRange(ex.activations()[0], 1, 3));
        assertEquals(4f, ex.max());

        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        ImageGallery g = new ImageGallery(id -> img, 2, 2);
        String html = g.render(panels.get(0), ex);
        assertFalse(html.contains("NaN"), html);
        Document d = SvgAssert.parse(html);
        List<Element> cells = SvgAssert.byClass(d, "rect", "cell");
        // per model the min-max runs over the rows it has: dino 2 -> t 0 (blank), 4 -> 1; siglip 3 -> 1, 1 -> 0
        assertEquals(2, cells.size());
        assertEquals("dino \u00b7 cell (1, 0): 4.000", cells.get(0).getElementsByTagName("title").item(0).getTextContent());
        assertEquals("10", cells.get(0).getAttribute("y"));
        assertEquals("siglip \u00b7 cell (0, 1): 3.000", cells.get(1).getElementsByTagName("title").item(0).getTextContent());
        // a square grid cannot be inferred from 3 positions: the gallery asks for the grid
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageGallery(id -> img, 0, 0).render(panels.get(0), ex));
        assertTrue(e.getMessage().contains("give the grid"), e.getMessage());
        // more positions than the grid holds is still an error
        assertThrows(IllegalArgumentException.class,
                () -> new ImageGallery(id -> img, 1, 2).render(panels.get(0), ex));
    }

    @Test
    void largeImagesAreScaledDownBeforeEmbedding() throws Exception {
        BufferedImage img = new BufferedImage(896, 448, BufferedImage.TYPE_INT_RGB);
        String uri = ImageGallery.pngDataUri(img, 224);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(22))));
        assertEquals(224, back.getWidth());
        assertEquals(112, back.getHeight());
    }
}
