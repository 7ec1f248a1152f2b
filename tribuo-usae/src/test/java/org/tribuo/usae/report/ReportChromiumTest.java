package org.tribuo.usae.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Renders the fixture report in headless Chromium: the page's script must finish with
 * {@code data-report-ready="ok"} and no recorded error, every chart must be in the DOM, and a
 * screenshot ({@code target/report-screenshot.png}) is kept for a person to look at. Skipped when no
 * Chromium is installed, unless {@code USAE_REQUIRE_CHROMIUM} is set (CI), which turns that into a failure.
 */
class ReportChromiumTest {
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void reportRendersWithoutScriptErrors() throws Exception {
        Path chromium = findChromium();
        if (chromium == null) {
            String require = System.getenv("USAE_REQUIRE_CHROMIUM");
            assertTrue(require == null || require.isEmpty(),
                    "USAE_REQUIRE_CHROMIUM is set but no chromium binary was found on PATH (chromium, chromium-browser, google-chrome)");
            Assumptions.abort("no chromium binary on PATH; set USAE_REQUIRE_CHROMIUM=1 to make this a failure");
        }
        Path target = Path.of("target").toAbsolutePath();
        Path page = ReportFixture.write(target.resolve("report-fixture").resolve("report.html"));
        String url = page.toUri().toString();

        String dom = run(chromium, target, List.of("--virtual-time-budget=5000", "--dump-dom", url));
        Matcher ready = Pattern.compile("<body[^>]*data-report-ready=\"([^\"]*)\"").matcher(dom);
        assertTrue(ready.find(), "no body with data-report-ready in the dumped DOM:\n" + head(dom));
        assertEquals("ok", ready.group(1), "the page's script reported: " + ready.group(1));
        Matcher errors = Pattern.compile("id=\"report-errors\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(dom);
        assertTrue(errors.find());
        assertFalse(errors.group(1).contains("<li>"), "script errors recorded: " + errors.group(1));
        assertEquals(ReportFixture.HEATMAPS, count(dom, "<svg class=\"chart\" data-chart=\"heatmap\""));
        for (String kind : List.of("histogram", "line", "scatter", "bar")) {
            assertEquals(1, count(dom, "<svg class=\"chart\" data-chart=\"" + kind + "\""), kind);
        }
        assertEquals(ReportFixture.HEATMAPS + 4, count(dom, "<svg class=\"chart\""));
        assertEquals(2 * ReportFixture.TEXT_EXAMPLES, count(dom, "class=\"example text-example\""));
        assertEquals(ReportFixture.IMAGE_EXAMPLES * ReportFixture.IMAGE_MODELS, count(dom, "<svg class=\"overlay\""));

        // the check can fail: the same page with a broken script must report the error, once
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int body = html.lastIndexOf("<script>");
        Path broken = page.resolveSibling("report-broken.html");
        Files.writeString(broken, html.substring(0, body) + "<script>usaeNoSuchFunction();</script>" + html.substring(body));
        String brokenDom = run(chromium, target, List.of("--virtual-time-budget=5000", "--dump-dom", broken.toUri().toString()));
        Matcher state = Pattern.compile("<body[^>]*data-report-ready=\"([^\"]*)\"").matcher(brokenDom);
        assertTrue(state.find());
        assertTrue(state.group(1).startsWith("error: ") && state.group(1).contains("usaeNoSuchFunction"), state.group(1));
        Matcher box = Pattern.compile("id=\"report-errors\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(brokenDom);
        assertTrue(box.find());
        assertEquals(1, count(box.group(1), "<li>"), "the error is listed once: " + box.group(1));
        assertFalse(box.group(0).contains("hidden"), "the error box is shown");

        Path shot = target.resolve("report-screenshot.png");
        Files.deleteIfExists(shot);
        run(chromium, target, List.of("--hide-scrollbars", "--window-size=1280,3000", "--virtual-time-budget=5000",
                "--screenshot=" + shot, url));
        assertTrue(Files.isRegularFile(shot), "no screenshot written at " + shot);
        BufferedImage png = ImageIO.read(shot.toFile());
        assertNotNull(png, "screenshot is not a PNG");
        assertEquals(1280, png.getWidth());
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

    private static String head(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }

    /** @return the first chromium-like binary on PATH, or null. */
    static Path findChromium() {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : dirs) {
                if (d.isEmpty()) {
                    continue;
                }
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Runs headless chromium with a fresh profile folder (removed afterwards) and a time limit.
     *
     * @return its standard output.
     */
    private static String run(Path chromium, Path target, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(target, "chromium-profile");
        Path out = target.resolve("chromium-stdout.txt");
        Path err = target.resolve("chromium-stderr.txt");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd + "\nstderr:\n" + tail(err));
            }
            assertEquals(0, p.exitValue(), "chromium failed: " + cmd + "\nstderr:\n" + tail(err));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            deleteTree(profile);
        }
    }

    private static String tail(Path f) throws IOException {
        String s = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
    }

    private static void deleteTree(Path dir) throws IOException, InterruptedException {
        // chromium may still be writing into its profile for a moment after exit
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException e) {
                if (attempt == 2) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
