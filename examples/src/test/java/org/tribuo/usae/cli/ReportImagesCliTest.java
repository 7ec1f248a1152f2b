package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code usae report --images} on a real extraction (PaddleOCR direction classifier over a folder of
 * PNGs, 48x96 canvas, tokens resized to 1x12 column strips): the inputs are drawn as the backbone saw
 * them, the canvas, with 12 strips of 8 canvas pixels over it, and the grid comes from the config.
 */
class ReportImagesCliTest {
    @Test
    void imageReportDrawsTheCanvasWithTheConfigsGrid(@TempDir Path tmp) throws Exception {
        Path cfg = config(tmp, "");
        Path set = tmp.resolve("set");
        extract(cfg, set);
        Path model = train(tmp, set);

        Path html = tmp.resolve("r/report.html");
        String page = report(model, set, cfg, html);
        assertEquals(2, count(page, "class=\"example image-example\""));
        Matcher png = Pattern.compile("href=\"data:image/png;base64,([^\"]+)\"").matcher(page);
        assertTrue(png.find());
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.group(1))));
        // the 48x96 canvas (white padding around the 40x40 resized image), not the 40..56 x 32 source PNG
        assertEquals(96, drawn.getWidth());
        assertEquals(48, drawn.getHeight());
        assertEquals(0xffffff, drawn.getRGB(1, 1) & 0xffffff, "padding drawn at its input value 255 (white)");
        // 1x12 grid from the config's gridHeight/gridWidth: every cell is an 8 x 48 strip at x = 8 * column
        Matcher cell = Pattern.compile("<rect class=\"cell\" x=\"([^\"]+)\" y=\"([^\"]+)\" width=\"([^\"]+)\" height=\"([^\"]+)\"")
                .matcher(page);
        int cells = 0;
        while (cell.find()) {
            assertEquals(0, Double.parseDouble(cell.group(1)) % 8, 1e-9, cell.group());
            assertEquals("0", cell.group(2));
            assertEquals("8", cell.group(3));
            assertEquals("48", cell.group(4));
            cells++;
        }
        assertTrue(cells > 0, "some token of the top concept is drawn");

        UsaeCliTest.Run bad = UsaeCliTest.usae("report", "-m", model.toString(), "-d", set.toString(), "--images", cfg.toString(),
                "--grid", "5x5", "--no-labels", "-o", tmp.resolve("bad/report.html").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--grid 5x5") && bad.err().contains("does not hold 12 tokens"), bad.err());
        assertFalse(Files.exists(tmp.resolve("bad")));
    }

    @Test
    void foregroundOnlySetsKeepTheirGridInTheReport(@TempDir Path tmp) throws Exception {
        Path cfg = config(tmp, "<property name=\"minForeground\" value=\"0.5\"/>");
        Path set = tmp.resolve("set");
        UsaeCliTest.Run ex = extract(cfg, set);
        // the images are opaque: only the canvas padding is background. The 40x40 image covers columns 28..67 of
        // the 96-wide canvas, so of the twelve 8-column cells 4..7 are covered enough (cells 3 and 8 only half)
        assertTrue(ex.out().contains("Foreground tokens: minForeground 0.5 kept 24 of 72 tokens (48 dropped, 66.7%); "
                + "0 inputs kept no token"), ex.out());
        Path model = train(tmp, set);
        Path html = tmp.resolve("r/report.html");
        String page = report(model, set, cfg, html);
        assertFalse(page.contains("NaN"));
        Matcher cell = Pattern.compile("<rect class=\"cell\" x=\"([^\"]+)\" y=\"([^\"]+)\" width=\"([^\"]+)\"").matcher(page);
        int cells = 0;
        while (cell.find()) {
            double x = Double.parseDouble(cell.group(1));
            assertTrue(x >= 32 && x <= 56 && x % 8 == 0, "only kept cells 4..7 are drawn: " + cell.group());
            assertEquals("8", cell.group(3));
            cells++;
        }
        assertTrue(cells > 0, "some token of the top concept is drawn");
    }

    /**
     * The cls-on-a-folder config over the 6 test PNGs; the report reads the config file as is, so the
     * folder goes into it (extract could override it).
     */
    private static Path config(Path tmp, String extractionProperties) throws java.io.IOException {
        Path images = ExtractImageFolderTest.folder(tmp.resolve("images"));
        return Files.writeString(tmp.resolve("cfg.xml"), Files.readString(ExtractImageFolderTest.clsOnFolderConfig(tmp))
                .replace("<property name=\"folder\" value=\"unset\"/>", "<property name=\"folder\" value=\"" + images + "\"/>")
                .replace("<property name=\"batchSize\" value=\"100\"/>", "<property name=\"batchSize\" value=\"100\"/>"
                        + extractionProperties));
    }

    private static UsaeCliTest.Run extract(Path cfg, Path set) {
        UsaeCliTest.Run ex = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", set.toString());
        assertEquals(0, ex.code(), ex.err());
        return ex;
    }

    private static Path train(Path tmp, Path set) {
        Path model = tmp.resolve("model");
        UsaeCliTest.Run tr = UsaeCliTest.usae("train", "-d", set.toString(), "-o", model.toString(), "--steps", "5",
                "--latents", "64", "-k", "4", "--batch-size", "16", "--hold-out", "0");
        assertEquals(0, tr.code(), tr.err());
        return model;
    }

    /** @return the page {@code usae report} writes for the top concept, 2 examples. */
    private static String report(Path model, Path set, Path cfg, Path html) throws java.io.IOException {
        UsaeCliTest.Run r = UsaeCliTest.usae("report", "-m", model.toString(), "-d", set.toString(), "--images", cfg.toString(),
                "--concepts", "1", "--examples", "2", "--no-labels", "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        return Files.readString(html);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
