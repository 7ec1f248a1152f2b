package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ImageFolder's alpha compositing, folder-path labels with their tree, and folder exclusion. */
class ImageFolderAlphaAndTreeTest {
    static final float[] GREY = {128, 128, 128};

    static Path png(Path f, BufferedImage bi) throws IOException {
        Files.createDirectories(f.getParent());
        assertTrue(ImageIO.write(bi, "png", f.toFile()));
        return f;
    }

    /** 3x1 RGBA: (200,100,50) at alpha 128, (255,0,0) at alpha 0, (10,20,30) opaque. */
    static BufferedImage rgba() {
        BufferedImage bi = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        bi.setRGB(0, 0, 0x80C86432);
        bi.setRGB(1, 0, 0x00FF0000);
        bi.setRGB(2, 0, 0xFF0A141E);
        return bi;
    }

    /** 2x1 grey + alpha (8 bits each): level 200 at alpha 51, level 40 at alpha 255. */
    static BufferedImage greyAlpha() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setSample(0, 0, 0, 200);
        r.setSample(0, 0, 1, 51);
        r.setSample(1, 0, 0, 40);
        r.setSample(1, 0, 1, 255);
        return new BufferedImage(cm, r, false, null);
    }

    static float[] px(Image im, int x) {
        return new float[]{im.data()[3 * x], im.data()[3 * x + 1], im.data()[3 * x + 2]};
    }

    @Test
    void alphaIsCompositedOnTheBackgroundExactly(@TempDir Path tmp) throws IOException {
        Path f = png(tmp.resolve("a.png"), rgba());
        Image on = ImageFiles.read(f, GREY);
        // v = a*v + (1-a)*128 with a = 128/255
        float a = 128 / 255f;
        assertArrayEquals(new float[]{a * 200 + (1 - a) * 128, a * 100 + (1 - a) * 128, a * 50 + (1 - a) * 128}, px(on, 0), 1e-4f);
        assertArrayEquals(new float[]{164.14117f, 113.94510f, 88.847061f}, px(on, 0), 1e-3f);
        assertArrayEquals(GREY, px(on, 1), 0f); // fully transparent red is the background
        assertArrayEquals(new float[]{10, 20, 30}, px(on, 2), 0f); // opaque is untouched
        Image white = ImageFiles.read(f, new float[]{255, 255, 255});
        assertArrayEquals(new float[]{255, 255, 255}, px(white, 1), 0f);
        // without a background alpha is dropped, as before
        assertArrayEquals(new float[]{255, 0, 0}, px(ImageFiles.read(f), 1), 0f);
        // the alpha plane
        Image alpha = ImageFiles.readAlpha(f);
        assertEquals(1, alpha.channels());
        assertArrayEquals(new float[]{128 / 255f, 0, 1}, alpha.data(), 1e-6f);

        Path g = png(tmp.resolve("g.png"), greyAlpha());
        Image gon = ImageFiles.read(g, new float[]{0, 100, 255});
        float ga = 51 / 255f;
        assertArrayEquals(new float[]{ga * 200, ga * 200 + (1 - ga) * 100, ga * 200 + (1 - ga) * 255}, px(gon, 0), 1e-4f);
        assertArrayEquals(new float[]{40, 40, 40}, px(gon, 1), 0f);
        assertArrayEquals(new float[]{0.2f, 1}, ImageFiles.readAlpha(g).data(), 1e-6f);
        // an opaque image has an all-ones alpha plane
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        assertArrayEquals(new float[]{1, 1, 1, 1}, ImageFiles.readAlpha(png(tmp.resolve("rgb.png"), rgb)).data(), 0f);
    }

    @Test
    void alphaBackgroundIsValidated() {
        PropertyException two = assertThrows(PropertyException.class,
                () -> new ImageFolder("x", 0, 1, ImageFolder.LabelBy.TOP_FOLDER, List.of(), new int[]{1, 2}));
        assertTrue(two.getMessage().contains("alphaBackground needs 3 values"), two.getMessage());
        PropertyException big = assertThrows(PropertyException.class,
                () -> new ImageFolder("x", 0, 1, ImageFolder.LabelBy.TOP_FOLDER, List.of(), new int[]{0, 256, 0}));
        assertTrue(big.getMessage().contains("0..255") && big.getMessage().contains("256"), big.getMessage());
        for (String bad : List.of("/abs", "a/../b", "**/a/b", "a//b", "", "a/", "**/")) {
            PropertyException e = assertThrows(PropertyException.class,
                    () -> new ImageFolder("x", 0, 1, ImageFolder.LabelBy.TOP_FOLDER, List.of(bad), null), bad);
            assertTrue(e.getMessage().contains("excludeFolders entry '" + bad + "'"), e.getMessage());
        }
    }

    /**
     * {@code a/3.png}, {@code a/x/1.png}, {@code a/x/y/2.png} (a folder holding images and subfolders),
     * {@code b/4.png}, {@code b/cartoon/5.png} and {@code c/cartoon/7.png} (left out by {@code **}{@code /cartoon}),
     * {@code d/6.png} (left out by {@code d}), {@code a/.hidden/8.png} (hidden folder).
     */
    static Path tree(Path root) throws IOException {
        BufferedImage bi = rgba();
        for (String f : List.of("a/3.png", "a/x/1.png", "a/x/y/2.png", "b/4.png", "b/cartoon/5.png", "c/cartoon/7.png", "d/6.png",
                "a/.hidden/8.png")) {
            png(root.resolve(f), bi);
        }
        Files.writeString(root.resolve("b/readme.txt"), "not an image");
        return root;
    }

    @Test
    void imageFolderLabelsAreFolderPathsWithTheirTree(@TempDir Path tmp) throws IOException {
        Path root = tree(tmp.resolve("stamps"));
        ImageFolder f = new ImageFolder(root.toString(), 0, 1, ImageFolder.LabelBy.IMAGE_FOLDER, List.of("d", "**/cartoon"), new int[]{128, 128, 128});
        ImageSource.Loaded l = f.load();
        assertEquals(List.of("a", "a/x", "a/x/y", "b"), l.labelNames());
        // files sorted by path: a/3.png, a/x/1.png, a/x/y/2.png, b/4.png
        assertArrayEquals(new long[]{0, 1, 2, 3}, l.labels());
        Map<String, String> tree = new LinkedHashMap<>();
        tree.put("a", ".");
        tree.put("a/x", "a");
        tree.put("a/x/y", "a/x");
        tree.put("b", ".");
        assertEquals(tree, l.labelParents());
        assertEquals(4, l.alphas().size());
        assertArrayEquals(new float[]{128 / 255f, 0, 1}, l.alphas().get(3).data(), 1e-6f);
        assertArrayEquals(GREY, px(l.images().get(0), 1), 0f);

        // the default labels by top folder are unchanged, and take the exclusions too
        ImageSource.Loaded top = new ImageFolder(root.toString(), 0, 1, ImageFolder.LabelBy.TOP_FOLDER, List.of("d", "**/cartoon"), null).load();
        // c keeps its name though its only images are excluded (TOP_FOLDER names every subfolder, as before)
        assertEquals(List.of("a", "b", "c"), top.labelNames());
        // TOP_FOLDER skips hidden files only, as before, so a/.hidden/8.png counts: a has 4 images, b 1
        assertArrayEquals(new long[]{0, 0, 0, 0, 1}, top.labels());
        assertTrue(top.labelParents().isEmpty());

        // deeper trees: every folder above a label is placed
        assertEquals(Map.of("p", ".", "p/q", "p", "p/q/r", "p/q", "s", "."), ImageFolder.folderParents(List.of("p/q/r", "s")));
    }

    @Test
    void exclusionsThatMatchNothingAndBadFolderNamesAreNamed(@TempDir Path tmp) throws IOException {
        Path root = tree(tmp.resolve("stamps"));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root.toString(), 0, 1,
                ImageFolder.LabelBy.IMAGE_FOLDER, List.of("d", "symbol", "**/cartoons"), null).load());
        assertTrue(typo.getMessage().contains("[symbol, **/cartoons] match no folder"), typo.getMessage());
        png(root.resolve("e\tf/9.png"), rgba());
        IllegalArgumentException tab = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root.toString(), 0, 1,
                ImageFolder.LabelBy.IMAGE_FOLDER, List.of(), null).load());
        assertTrue(tab.getMessage().contains("'e\\tf' has a tab or line break"), tab.getMessage());
        png(root.resolve("loose.png"), rgba());
        IllegalArgumentException loose = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root.toString(), 0, 1,
                ImageFolder.LabelBy.IMAGE_FOLDER, List.of(), null).load());
        assertTrue(loose.getMessage().contains("loose.png"), loose.getMessage());
    }
}
