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
        Path images = ExtractImageFolderTest.folder(tmp.resolve("images"));
        // the report reads the config file as is, so the folder goes into it (extract could override it)
        Path cfg = Files.writeString(tmp.resolve("cfg.xml"), Files.readString(ExtractImageFolderTest.clsOnFolderConfig(tmp))
                .replace("<property name=\"folder\" value=\"unset\"/>", "<property name=\"folder\" value=\"" + images + "\"/>"));
        Path set = tmp.resolve("set");
        UsaeCliTest.Run ex = UsaeCliTest.usae("extract", "-c", cfg.toString(), "-o", set.toString());
        assertEquals(0, ex.code(), ex.err());
        Path model = tmp.resolve("model");
        UsaeCliTest.Run tr = UsaeCliTest.usae("train", "-d", set.toString(), "-o", model.toString(), "--steps", "5",
                "--latents", "64", "-k", "4", "--batch-size", "16", "--hold-out", "0");
        assertEquals(0, tr.code(), tr.err());

        Path html = tmp.resolve("r/report.html");
        UsaeCliTest.Run r = UsaeCliTest.usae("report", "-m", model.toString(), "-d", set.toString(), "--images", cfg.toString(),
                "--concepts", "1", "--examples", "2", "--no-labels", "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(html);
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

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
