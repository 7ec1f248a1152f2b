package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.labels.LabelHierarchy;
import org.tribuo.usae.metrics.labels.LabelHierarchyReader;
import org.tribuo.usae.onnx.report.ImageSourceGallery;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Foreground token selection end to end: RGBA images in a folder tree through the two real PaddleOCR
 * networks (class path) on their shared 48x96 canvas, a 1x12 token grid, {@code minForeground 0.5}.
 */
class ForegroundExtractionTest {
    /** The 40x40 resized image sits at columns 28..67 and rows 4..43 of the 48x96 canvas: cells are 8 columns wide. */
    static String xml(String folder, String minForeground, boolean recGrid) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                    <component name="extraction" type="org.tribuo.usae.onnx.extract.ImageExtraction">
                        <property name="source" value="images"/>
                        <propertylist name="backbones"><item>rec</item><item>cls</item></propertylist>
                        <property name="batchSize" value="2"/>
                        <property name="threads" value="2"/>
                        <property name="minForeground" value="%s"/>
                    </component>
                    <component name="images" type="org.tribuo.usae.onnx.extract.ImageFolder">
                        <property name="folder" value="%s"/>
                        <property name="labelBy" value="IMAGE_FOLDER"/>
                        <propertylist name="alphaBackground"><item>255</item><item>255</item><item>255</item></propertylist>
                    </component>
                    <component name="ocr-input" type="org.tribuo.usae.onnx.extract.ImagePreprocessor">
                        <property name="height" value="48"/>
                        <property name="width" value="96"/>
                        <property name="resizeHeight" value="40"/>
                        <property name="resizeWidth" value="40"/>
                        <property name="padValue" value="255"/>
                        <property name="scale" value="0.00392156862745098"/>
                        <propertylist name="mean"><item>0.5</item></propertylist>
                        <propertylist name="std"><item>0.5</item></propertylist>
                    </component>
                    <component name="rec" type="org.tribuo.usae.onnx.extract.ImageBackboneSpec">
                        <property name="name" value="rec"/>
                        <property name="resource" value="models/ch_PP-OCRv4_rec_infer.onnx"/>
                        <property name="tap" value="transpose_51.tmp_0"/>
                        <property name="layout" value="TOKENS"/>
                        %s
                        <property name="preprocessor" value="ocr-input"/>
                    </component>
                    <component name="cls" type="org.tribuo.usae.onnx.extract.ImageBackboneSpec">
                        <property name="name" value="cls"/>
                        <property name="resource" value="models/ch_ppocr_mobile_v2.0_cls_infer.onnx"/>
                        <property name="tap" value="pool2d_9.tmp_0"/>
                        <property name="layout" value="NCHW"/>
                        <property name="gridHeight" value="1"/>
                        <property name="gridWidth" value="12"/>
                        <property name="preprocessor" value="ocr-input"/>
                    </component>
                </config>
                """.formatted(minForeground, folder,
                recGrid ? "<property name=\"gridHeight\" value=\"1\"/><property name=\"gridWidth\" value=\"12\"/>" : "");
    }

    static ImageExtraction extraction(Path tmp, String name, String xml) throws IOException {
        Path cfg = Files.writeString(tmp.resolve(name + ".xml"), xml);
        return (ImageExtraction) new ConfigurationManager(new String[]{"-c", cfg.toString()}).lookup("extraction");
    }

    /** A 28x28 dark square on transparency: alpha 255 on columns {@code [0, opaqueColumns)}, 0 elsewhere. */
    static BufferedImage stamp(int opaqueColumns) {
        BufferedImage bi = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                bi.setRGB(x, y, x < opaqueColumns ? 0xFF000000 | (9 * x) << 8 | (y * 9) : 0x00FF0000);
            }
        }
        return bi;
    }

    @Test
    void backgroundTokensAreDroppedInEveryModelAndRowIndexKeepsPositions(@TempDir Path tmp) throws IOException {
        Path images = tmp.resolve("images");
        // sorted paths: shapes/half.png (input 0), shapes/round/opaque.png (1), shapes/round/void.png (2)
        ImageFolderAlphaAndTreeTest.png(images.resolve("shapes/half.png"), stamp(14));
        ImageFolderAlphaAndTreeTest.png(images.resolve("shapes/round/opaque.png"), stamp(28));
        ImageFolderAlphaAndTreeTest.png(images.resolve("shapes/round/void.png"), stamp(0));

        ImageExtraction all = extraction(tmp, "all", xml(images.toString(), "0", true));
        ImageExtraction fg = extraction(tmp, "fg", xml(images.toString(), "0.5", true));
        assertEquals(0, all.gridCells());
        assertEquals(12, fg.gridCells());
        ExtractionJob.Summary sa = all.run(tmp.resolve("all-set"), null);
        assertEquals(36, sa.rows());
        assertEquals(0, sa.droppedTokens());
        ExtractionJob.Summary sf = fg.run(tmp.resolve("fg-set"), null);
        // opaque: 40 of 48 rows, so a cell needs >= 0.6 of its 8 columns; cells 3 and 8 hold 4 columns of image
        // (0.42), so the opaque stamp keeps cells 4..7; the half stamp ends at canvas column 48 (its bilinear
        // edge spills 0.15 of a column into cell 6), so it keeps 4 and 5; the transparent one keeps nothing
        long[] wantIds = {0, 0, 1, 1, 1, 1};
        long[] wantPos = {4, 5, 4, 5, 6, 7};
        assertEquals(6, sf.rows());
        assertEquals(12, sf.tokensPerInput());
        assertEquals(30, sf.droppedTokens());
        assertEquals(1, sf.emptyInputs());
        try (ActivationSet a = NpyActivationSet.open(tmp.resolve("all-set")); ActivationSet f = NpyActivationSet.open(tmp.resolve("fg-set"))) {
            assertEquals(List.of("rec", "cls"), f.modelNames());
            RowIndex ri = f.rowIndex().orElseThrow();
            assertEquals(6, ri.rows());
            long[] fullRows = new long[6];
            long[] rows = new long[6];
            for (int r = 0; r < 6; r++) {
                assertEquals(wantIds[r], ri.inputId(r), "row " + r);
                assertEquals(wantPos[r], ri.position(r), "row " + r);
                fullRows[r] = wantIds[r] * 12 + wantPos[r];
                rows[r] = r;
            }
            // row r of every model is the same (input, position) as in the unfiltered set
            float[][] kept = f.batch(rows).x();
            float[][] full = a.batch(fullRows).x();
            for (int m = 0; m < 2; m++) {
                assertArrayEquals(full[m], kept[m], 0f, f.modelNames().get(m));
            }
        }
        // folder-path labels and the tree, readable by --hierarchy and covering every label
        assertArrayEquals(new long[]{0, 1, 1}, InputLabels.read(tmp.resolve("fg-set")).orElseThrow());
        assertEquals(List.of("shapes", "shapes/round"), Files.readAllLines(tmp.resolve("fg-set").resolve(ImageExtraction.LABEL_NAMES)));
        Path tsv = tmp.resolve("fg-set").resolve(ImageExtraction.LABEL_HIERARCHY);
        assertEquals("shapes\t.\nshapes/round\tshapes\n", Files.readString(tsv));
        LabelHierarchy h = LabelHierarchyReader.readTsv(tsv);
        h.requireCovers(List.of("shapes", "shapes/round"), "test");
        assertEquals(2, h.maxDepth());
        // the report's gallery gets the whole 1x12 grid from the config, not from the rows per input
        assertNotNull(ImageSourceGallery.forExtraction(fg, fg.gridCells(), 0, 0));
    }

    @Test
    void foregroundSelectionNeedsOneGridAndAValidThreshold(@TempDir Path tmp) throws IOException {
        Path images = tmp.resolve("images");
        ImageFolderAlphaAndTreeTest.png(images.resolve("a/x.png"), stamp(28));
        PropertyException noGrid = assertThrows(PropertyException.class,
                () -> extraction(tmp, "nogrid", xml(images.toString(), "0.5", false)));
        assertTrue(noGrid.getMessage().contains("backbone 'rec' has none"), noGrid.getMessage());
        // without selection the rec grid is not needed
        assertEquals(0, extraction(tmp, "ok", xml(images.toString(), "0", false)).gridCells());
        for (String bad : List.of("1.5", "-0.1", "NaN")) {
            PropertyException e = assertThrows(PropertyException.class, () -> extraction(tmp, "bad", xml(images.toString(), bad, true)));
            assertTrue(e.getMessage().contains("minForeground must be in 0..1"), e.getMessage());
        }
        // every token dropped: nothing is written
        Path empty = tmp.resolve("empty");
        ImageFolderAlphaAndTreeTest.png(empty.resolve("a/void.png"), stamp(0));
        ImageExtraction none = extraction(tmp, "none", xml(empty.toString(), "0.5", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none.run(tmp.resolve("none-set"), null));
        assertTrue(e.getMessage().contains("kept no token of any of the 1 inputs"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("none-set/manifest.json")));
    }
}
