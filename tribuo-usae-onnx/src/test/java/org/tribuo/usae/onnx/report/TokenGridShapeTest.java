package org.tribuo.usae.onnx.report;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.onnx.extract.ImageBackboneSpec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The token grid worked out from a backbone's settings (the activation set only has positions). */
class TokenGridShapeTest {
    @TempDir
    Path tmp;

    /** @return a backbone with the given extra properties on an h x w canvas (the model is never opened). */
    private ImageBackboneSpec spec(int h, int w, String props) throws Exception {
        Path xml = Files.createTempFile(tmp, "spec", ".xml");
        Files.writeString(xml, "<config><component name=\"pre\" type=\"org.tribuo.usae.onnx.extract.ImagePreprocessor\">"
                + "<property name=\"height\" value=\"" + h + "\"/><property name=\"width\" value=\"" + w + "\"/></component>"
                + "<component name=\"b\" type=\"org.tribuo.usae.onnx.extract.ImageBackboneSpec\">"
                + "<property name=\"name\" value=\"vit\"/><property name=\"resource\" value=\"models/none.onnx\"/>"
                + "<property name=\"tap\" value=\"t\"/><property name=\"preprocessor\" value=\"pre\"/>" + props
                + "</component></config>");
        return (ImageBackboneSpec) new ConfigurationManager(new String[]{"-c", xml.toString()}).lookup("b");
    }

    private static String p(String name, Object value) {
        return "<property name=\"" + name + "\" value=\"" + value + "\"/>";
    }

    @Test
    void shapeFollowsTheTokenPolicy() throws Exception {
        // TOKENS without a grid: one row (the OCR recogniser's 12 column strips)
        assertArrayEquals(new int[]{1, 12}, TokenGridShape.of(spec(48, 96, p("layout", "TOKENS")), 12));
        // ViT patch tokens after dropping CLS: 196 -> 14x14
        assertArrayEquals(new int[]{14, 14}, TokenGridShape.of(spec(224, 224,
                p("layout", "TOKENS") + p("dropLeading", 1) + p("squareGrid", true)), 196));
        // a resize wins over the layout: the conv map is resampled to 1x12
        assertArrayEquals(new int[]{1, 12}, TokenGridShape.of(spec(48, 96,
                p("layout", "NCHW") + p("gridHeight", 1) + p("gridWidth", 12)), 12));
        // conv map, no resize: the factorisation with the canvas's aspect; 224x224, 49 -> 7x7; 48x96, 72 -> 6x12
        assertArrayEquals(new int[]{7, 7}, TokenGridShape.of(spec(224, 224, p("layout", "NCHW")), 49));
        assertArrayEquals(new int[]{6, 12}, TokenGridShape.of(spec(48, 96, p("layout", "NHWC")), 72));
    }

    @Test
    void openOrMismatchedShapesAreClearErrors() throws Exception {
        // 24 tokens on a 48x96 canvas: 1x24 is a 1:24 map, not 1:2; no factorisation of 24 is 1:2 -> ask for the grid
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> TokenGridShape.of(spec(48, 96, p("layout", "NCHW")), 24));
        assertTrue(open.getMessage().contains("backbone 'vit'") && open.getMessage().contains("48x96 canvas")
                && open.getMessage().contains("give the grid as HxW"), open.getMessage());
        // square layout but 12 tokens: 3x3 != 12 -> the config does not match the set
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TokenGridShape.of(spec(224, 224,
                p("layout", "TOKENS") + p("squareGrid", true)), 12));
        assertTrue(bad.getMessage().contains("3x3 token grid but the activation set has 12 tokens per input"), bad.getMessage());
        IllegalArgumentException resized = assertThrows(IllegalArgumentException.class, () -> TokenGridShape.of(spec(48, 96,
                p("layout", "NCHW") + p("gridHeight", 2) + p("gridWidth", 4)), 12));
        assertTrue(resized.getMessage().contains("2x4 token grid"), resized.getMessage());
    }
}
