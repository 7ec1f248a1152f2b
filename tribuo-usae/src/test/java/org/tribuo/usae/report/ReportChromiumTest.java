package org.tribuo.usae.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Renders the fixture report in headless Chromium: the page's script must finish with
 * {@code data-report-ready="ok"} and no recorded error, every chart must be in the DOM, and a
 * screenshot ({@code target/report-screenshot.png}) is kept for a person to look at. Skipped when no
 * Chromium is installed (see {@link HeadlessBrowser#find()}), unless {@code USAE_REQUIRE_CHROMIUM} is set (CI), which turns that into a failure.
 */
class ReportChromiumTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /**
     * @return the browser, or aborts the test when none is installed and {@code USAE_REQUIRE_CHROMIUM}
     * is unset (fails when it is set).
     */
    static HeadlessBrowser browserOrSkip() {
        Optional<Path> chromium = HeadlessBrowser.find();
        if (chromium.isEmpty()) {
            String require = System.getenv("USAE_REQUIRE_CHROMIUM");
            assertTrue(require == null || require.isEmpty(),
                    "USAE_REQUIRE_CHROMIUM is set but no chromium binary was found (" + HeadlessBrowser.INSTALL_HINT + ")");
            Assumptions.abort("no chromium binary on PATH; set USAE_REQUIRE_CHROMIUM=1 to make this a failure");
        }
        return new HeadlessBrowser(chromium.get(), TIMEOUT);
    }

    @Test
    void reportRendersWithoutScriptErrors() throws Exception {
        HeadlessBrowser browser = browserOrSkip();
        Path target = Path.of("target").toAbsolutePath();
        Path page = ReportFixture.write(target.resolve("report-fixture").resolve("report.html"));

        String dom = browser.dumpDom(page);
        PageCheck check = HeadlessBrowser.parse(dom);
        assertEquals("ok", check.readyState(), "the page's script reported: " + check.readyState());
        assertEquals(List.of(), check.scriptErrors());
        assertTrue(check.ok());
        assertEquals(ReportFixture.HEATMAPS, check.charts("heatmap"));
        for (String kind : List.of("histogram", "line", "scatter", "bar")) {
            assertEquals(1, check.charts(kind), kind);
        }
        assertEquals(ReportFixture.HEATMAPS + 4, check.totalCharts());
        assertEquals(ReportFixture.HEATMAPS + 4, count(dom, "<svg class=\"chart\""), "every chart has a data-chart kind");
        assertEquals(2 * ReportFixture.TEXT_EXAMPLES, count(dom, "class=\"example text-example\""));
        assertEquals(ReportFixture.IMAGE_EXAMPLES * ReportFixture.IMAGE_MODELS, count(dom, "<svg class=\"overlay\""));

        // the check can fail: the same page with a broken script must report the error, once
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int body = html.lastIndexOf("<script>");
        Path broken = page.resolveSibling("report-broken.html");
        Files.writeString(broken, html.substring(0, body) + "<script>usaeNoSuchFunction();</script>" + html.substring(body));
        String brokenDom = browser.dumpDom(broken);
        PageCheck bad = HeadlessBrowser.parse(brokenDom);
        assertFalse(bad.ok());
        assertTrue(bad.readyState().startsWith("error: ") && bad.readyState().contains("usaeNoSuchFunction"), bad.readyState());
        assertEquals(1, bad.scriptErrors().size(), "the error is listed once: " + bad.scriptErrors());
        assertTrue(bad.scriptErrors().get(0).contains("usaeNoSuchFunction"), bad.scriptErrors().get(0));
        Matcher box = Pattern.compile("<div[^>]*id=\"report-errors\"[^>]*>").matcher(brokenDom);
        assertTrue(box.find());
        assertFalse(box.group(0).contains("hidden"), "the error box is shown");

        Path shot = target.resolve("report-screenshot.png");
        Files.deleteIfExists(shot);
        browser.screenshot(page, shot, 1280, 3000);
        assertTrue(Files.isRegularFile(shot), "no screenshot written at " + shot);
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".tmp.png")).toList(),
                    "the screenshot's temp file is renamed away");
        }
        BufferedImage png = ImageIO.read(shot.toFile());
        assertNotNull(png, "screenshot is not a PNG");
        assertEquals(1280, png.getWidth());
        assertEquals(3000, png.getHeight());
        // a blank or error page has a handful of colours; charts, text and images have many
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < png.getHeight(); y += 3) {
            for (int x = 0; x < png.getWidth(); x += 3) {
                colours.add(png.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 200, "screenshot looks blank: " + colours.size() + " colours");
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
