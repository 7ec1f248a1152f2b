package org.tribuo.usae.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.Npy;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code usae visualize} on a tiny USAE over the two OCR networks of examples/configs/extract-ocr-mnist.xml
 * (rec: 120-wide tokens, cls: 200-wide), trained for 3 steps on random activations: the command's plumbing, not
 * MACO's quality (MacoTest checks that).
 */
class VisualizeCommandTest {
    static final String CONFIG = "configs/extract-ocr-mnist.xml";
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        data = Files.createDirectories(tmp.resolve("acts"));
        Random r = new Random(3);
        for (String[] m : new String[][]{{"rec", "120"}, {"cls", "200"}}) {
            int d = Integer.parseInt(m[1]);
            float[] x = new float[300 * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            Npy.writeFloat32(data.resolve(m[0] + ".npy"), x, 300, d);
        }
        UsaeCliTest.Run t = UsaeCliTest.usae("train", "-d", data.toString(), "-o", tmp.resolve("run").toString(),
                "--steps", "3", "--latents", "16", "-k", "2", "--batch-size", "64", "--hold-out", "0");
        assertEquals(0, t.code(), t.err());
        model = tmp.resolve("run/model.usae");
    }

    @Test
    void writesOnePngPerModelAndConceptAndAnHtmlPanel() throws Exception {
        Path out = tmp.resolve("vis");
        UsaeCliTest.Run v = UsaeCliTest.usae("visualize", "-m", model.toString(), "-c", CONFIG, "-o", out.toString(),
                "--concepts", "1,5", "--steps", "3", "--crops", "1", "--image-scale", "1", "--threads", "2");
        assertEquals(0, v.code(), v.err());
        for (int k : new int[]{1, 5}) {
            for (String name : new String[]{"rec", "cls"}) {
                BufferedImage img = ImageIO.read(out.resolve("concept-" + k + "/" + name + ".png").toFile());
                assertEquals(96, img.getWidth());
                assertEquals(48, img.getHeight());
                assertTrue(Files.size(out.resolve("concept-" + k + "/" + name + "-attribution.png")) > 0);
            }
        }
        String html = Files.readString(out.resolve("visualize.html"));
        assertTrue(html.contains("<h3>Concept 1</h3>") && html.contains("<h3>Concept 5</h3>"));
        // 2 concepts x 2 models x (image + attribution).
        assertEquals(8, html.split("data:image/png;base64,", -1).length - 1);
        assertTrue(v.out().contains("concept 5, cls: objective"), v.out());
    }

    /** A dictionary that came in through usae import (SAELens folders sharing one index) visualises like any model. */
    @Test
    void anImportedDictionaryVisualises() throws Exception {
        Path sl = tmp.resolve("sl");
        assertEquals(0, UsaeCliTest.usae("export", "-m", model.toString(), "-o", sl.toString(), "--format", "saelens").code());
        Path imported = tmp.resolve("imported.usae");
        UsaeCliTest.Run i = UsaeCliTest.usae("import", "--from", "saelens", "--folder", "rec=" + sl.resolve("rec") + ",cls="
                + sl.resolve("cls"), "-o", imported.toString());
        assertEquals(0, i.code(), i.err());
        Path out = tmp.resolve("vis-imported");
        UsaeCliTest.Run v = UsaeCliTest.usae("visualize", "-m", imported.toString(), "-c", CONFIG, "-o", out.toString(),
                "--concepts", "3", "--steps", "1", "--crops", "1", "--image-scale", "1", "--threads", "2");
        assertEquals(0, v.code(), v.err());
        assertTrue(Files.size(out.resolve("concept-3/rec.png")) > 0 && Files.size(out.resolve("concept-3/cls.png")) > 0);
    }

    @Test
    void topEnergyRanksConceptsOnTheData() throws Exception {
        Path out = tmp.resolve("vis-top");
        UsaeCliTest.Run v = UsaeCliTest.usae("visualize", "-m", model.toString(), "-c", CONFIG, "-o", out.toString(),
                "--top-energy", "1", "-d", data.toString(), "--steps", "1", "--crops", "1", "--image-scale", "1",
                "--threads", "2");
        assertEquals(0, v.code(), v.err());
        try (var dirs = Files.list(out)) {
            assertEquals(1, dirs.filter(p -> p.getFileName().toString().startsWith("concept-")).count());
        }
    }

    @Test
    void badChoicesAreNamed() {
        UsaeCliTest.Run none = UsaeCliTest.usae("visualize", "-m", model.toString(), "-c", CONFIG, "-o",
                tmp.resolve("x").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("exactly one of --concepts, --top-energy N, --universal N"), none.err());
        UsaeCliTest.Run range = UsaeCliTest.usae("visualize", "-m", model.toString(), "-c", CONFIG, "-o",
                tmp.resolve("y").toString(), "--concepts", "16");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("--concepts: 16 is not in [0, 16)"), range.err());
        UsaeCliTest.Run noData = UsaeCliTest.usae("visualize", "-m", model.toString(), "-c", CONFIG, "-o",
                tmp.resolve("z").toString(), "--universal", "2");
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("give --data"), noData.err());
        UsaeCliTest.Run noConfig = UsaeCliTest.usae("visualize", "-m", model.toString(), "-o", tmp.resolve("w").toString());
        assertEquals(2, noConfig.code());
        assertTrue(noConfig.err().contains("-c <config.xml> is required"), noConfig.err());
    }
}
