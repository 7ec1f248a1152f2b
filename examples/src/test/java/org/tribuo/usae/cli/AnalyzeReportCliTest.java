package org.tribuo.usae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.text.TextExtraction;
import org.tribuo.usae.report.HeadlessBrowser;
import org.tribuo.usae.report.PageCheck;
import org.tribuo.usae.report.TextGallery;
import org.tribuo.usae.synth.PlantedOptions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code usae analyze} and {@code usae report} end to end on a small planted set laid out like a text
 * extraction: {@value #INPUTS} inputs of {@value #TOKENS} tokens (row index), one label per input
 * ({@code labels.npy} + {@code label_names.txt}) and a hand-written {@code inputs.tsv}; a tiny model is
 * trained once through {@code usae train}.
 */
class AnalyzeReportCliTest {
    static final int INPUTS = 80;
    static final int TOKENS = 8;
    static final int LATENTS = 64;
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void writeSetAndTrain() throws Exception {
        data = tmp.resolve("set");
        UsaeCliTest.plantedInputs(data, INPUTS, TOKENS);
        // label of input i: "even" (id 0) or "odd" (id 1) -> 40 inputs each
        long[] labels = new long[INPUTS];
        List<String> tsv = new ArrayList<>(List.of(TextGallery.HEADER));
        for (int i = 0; i < INPUTS; i++) {
            labels[i] = i % 2;
            String[] words = new String[TOKENS];
            for (int p = 0; p < TOKENS; p++) {
                words[p] = "w" + i + "_" + p;
            }
            tsv.add(i + "\t" + (i % 2 == 0 ? "even" : "odd") + "\t" + TOKENS + "\t" + String.join(" ", words)
                    + "\ttext of input " + i);
        }
        Npy.writeInt64(data.resolve(InputLabelFile.LABELS_FILE), labels, INPUTS, 1);
        Files.write(data.resolve(InputLabelFile.NAMES_FILE), List.of("even", "odd"), StandardCharsets.UTF_8);
        Files.write(data.resolve(TextExtraction.INPUTS_FILE), tsv, StandardCharsets.UTF_8);

        UsaeCliTest.Run train = UsaeCliTest.usae("train", "-d", data.toString(), "-o", tmp.resolve("model").toString(),
                "--steps", "40", "--latents", String.valueOf(LATENTS), "-k", "4", "--batch-size", "64", "--hold-out", "0.25");
        assertEquals(0, train.code(), train.err());
        model = tmp.resolve("model");
    }

    @Test
    void analyzeWritesJsonThatMatchesTheApi() throws Exception {
        Path json = tmp.resolve("analysis-test.json");
        UsaeCliTest.Run r = UsaeCliTest.usae("analyze", "-m", model.toString(), "-d", data.toString(), "--rows", "all",
                "--min-positives", "10", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(org.tribuo.usae.pipeline.AnalysisResult.FORMAT, root.get("format").asText());
        assertEquals(0, root.get("from").asLong());
        assertEquals(INPUTS * TOKENS, root.get("to").asLong());
        assertTrue(root.get("evaluation").isObject());

        // the co-fire counts and energy ranking are those of a direct call on the same rows
        UsaeModel m = org.tribuo.usae.model.ModelFiles.load(model);
        ConceptAnalysisResult direct;
        try (ActivationSet set = NpyActivationSet.open(data)) {
            direct = ConceptAnalysis.run(m, set, 0, INPUTS * TOKENS, 4096,
                    ConceptAnalysis.Options.DEFAULT.withThreshold(0.1).withMinCoFiresForFit(1000));
        }
        JsonNode concepts = root.get("concepts");
        assertArrayEquals(direct.stats().coFireCounts(), longs(concepts.get("coFireCounts")));
        assertEquals(LATENTS, concepts.get("coFireCounts").size());
        assertTrue(Arrays.stream(direct.stats().coFireCounts()).sum() > 0, "some concept co-fires");

        // labels: 80 inputs, all labelled; each label has 40 > 10 positives, so one probe task per label per model
        JsonNode labels = root.get("labels");
        assertEquals(INPUTS, labels.get("inputs").asInt());
        assertEquals(INPUTS, labels.get("labelledInputs").asInt());
        assertEquals("MAX", labels.get("pooling").asText());
        JsonNode probe = labels.get("probe");
        assertEquals(m.modelNames().size(), probe.size());
        for (int i = 0; i < probe.size(); i++) {
            assertEquals(m.modelNames().get(i), probe.get(i).get("stream").asText());
            assertEquals(2, probe.get(i).get("tasks").size(), probe.get(i).toString());
        }

        // the trace labels equal the API's, and --min-trace moves them: no model moves 1000 standard deviations
        assertArrayEquals(direct.traceSelection().universal(), ints(concepts.get("traceSelection").get("universal")));
        UsaeCliTest.Run strict = UsaeCliTest.usae("analyze", "-m", model.toString(), "-d", data.toString(), "--rows",
                "all", "--no-labels", "--min-trace", "1000", "--json", json.toString());
        assertEquals(0, strict.code(), strict.err());
        JsonNode strictSelection = new ObjectMapper().readTree(json.toFile()).get("concepts").get("traceSelection");
        assertEquals(0, strictSelection.get("universal").size());
        assertEquals(1000.0, strictSelection.get("criteria").get("minTrace").asDouble());

        // --no-labels turns the label section into null
        UsaeCliTest.Run none = UsaeCliTest.usae("analyze", "-m", model.toString(), "-d", data.toString(), "--rows", "all",
                "--no-labels", "--json", json.toString());
        assertEquals(0, none.code(), none.err());
        assertTrue(new ObjectMapper().readTree(json.toFile()).get("labels").isNull());
    }

    @Test
    void reportIsSelfContainedAndRendersInChromium() throws Exception {
        Path html = tmp.resolve("report/report.html");
        Path shot = Path.of("target/report-cli-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        Optional<Path> chromium = HeadlessBrowser.find();
        String require = System.getenv("USAE_REQUIRE_CHROMIUM");
        assertTrue(chromium.isPresent() || require == null || require.isEmpty(),
                "USAE_REQUIRE_CHROMIUM is set but no chromium was found: " + HeadlessBrowser.INSTALL_HINT);
        List<String> args = new ArrayList<>(List.of("report", "-m", model.toString(), "-d", data.toString(), "--rows", "all",
                "--min-positives", "10", "--concepts", "3", "--examples", "2", "-o", html.toString(),
                "--check", "--screenshot", shot.toString(), "--screenshot-height", "2000"));
        UsaeCliTest.Run r = UsaeCliTest.usae(args.toArray(String[]::new));

        assertTrue(Files.isRegularFile(html), "the HTML is written with or without chromium: " + r.err());
        assertTrue(Files.isRegularFile(html.resolveSibling("analysis.json")));
        String page = Files.readString(html, StandardCharsets.UTF_8);
        // self-contained: nothing is loaded from elsewhere (SVG namespaces are names, not fetches)
        Matcher external = Pattern.compile("(?:src|href)\\s*=\\s*\"(?!data:|#)([^\"]*)\"").matcher(page);
        assertFalse(external.find(), () -> "external reference: " + external.group(0));
        assertFalse(page.contains("<link") || page.contains("@import") || page.contains("url(http"));
        // 3 concepts x 2 examples, each drawn once per model as highlighted word pieces
        assertEquals(3 * 2, count(page, "class=\"example text-example\""));
        // ... with the word pieces of inputs.tsv, each in its own position: 6 examples x 3 models x 8 tokens
        Matcher piece = Pattern.compile("<span class=\"tok\"[^>]*>w(\\d+)_(\\d+)</span>").matcher(page);
        int pieces = 0;
        while (piece.find()) {
            assertEquals(pieces % TOKENS, Integer.parseInt(piece.group(2)), "token order");
            pieces++;
        }
        assertEquals(3 * 2 * 3 * TOKENS, pieces);

        if (chromium.isEmpty()) {
            assertEquals(2, r.code());
            assertTrue(r.err().contains("apt-get install chromium") && r.err().contains(html.toString()), r.err());
            Assumptions.abort("no chromium: checked the install hint; set USAE_REQUIRE_CHROMIUM=1 to require the browser");
        }
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Checked " + html), r.out());
        PageCheck c = new HeadlessBrowser(chromium.get(), Duration.ofSeconds(120)).check(html);
        assertEquals("ok", c.readyState());
        assertEquals(List.of(), c.scriptErrors());
        for (String kind : List.of("heatmap", "histogram", "line", "scatter", "bar")) {
            assertTrue(c.charts(kind) >= 1, kind + " chart missing: " + c.chartsByKind());
        }
        BufferedImage png = ImageIO.read(shot.toFile());
        assertNotNull(png, "screenshot written at " + shot);
        assertEquals(ReportCommand.SCREENSHOT_WIDTH, png.getWidth());
        assertEquals(2000, png.getHeight());
    }

    @Test
    void reportAddsTheImagesOfUsaeVisualize() throws Exception {
        // what usae visualize -o vis writes: concept-<k>/<model>.png (+ -attribution.png)
        Path vis = tmp.resolve("vis");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (String k : List.of("7", "12")) {
            Path dir = Files.createDirectories(vis.resolve("concept-" + k));
            for (String name : PlantedOptions.demo().names()) {
                javax.imageio.ImageIO.write(img, "png", dir.resolve(name + ".png").toFile());
            }
            javax.imageio.ImageIO.write(img, "png", dir.resolve(PlantedOptions.demo().names()[0] + "-attribution.png").toFile());
        }
        Path html = tmp.resolve("vis-report/report.html");
        UsaeCliTest.Run r = UsaeCliTest.usae("report", "-m", model.toString(), "-d", data.toString(), "--rows", "all",
                "--concepts", "0", "--visualizations", vis.toString(), "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(html);
        int at = page.indexOf("<h2>Coordinated activation maximisation</h2>");
        assertTrue(at > 0, "panel present");
        // concepts in numeric order (7 before 12), 3 images + 1 attribution each
        assertTrue(page.indexOf("Concept 7", at) < page.indexOf("Concept 12", at));
        assertEquals(8, count(page.substring(at), "data:image/png;base64,"));
        // a folder written for other models is refused before any analysis
        Files.delete(vis.resolve("concept-7").resolve(PlantedOptions.demo().names()[1] + ".png"));
        UsaeCliTest.Run bad = UsaeCliTest.usae("report", "-m", model.toString(), "-d", data.toString(),
                "--visualizations", vis.toString(), "-o", tmp.resolve("vis-bad/r.html").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(PlantedOptions.demo().names()[1] + ".png is missing"), bad.err());
        assertFalse(Files.exists(tmp.resolve("vis-bad")));
    }

    @Test
    void badOptionsAreOneLineErrorsNamingOptionAndValue() throws Exception {
        Path unlabelled = Files.createDirectories(tmp.resolve("unlabelled"));
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(InputLabelFile.LABELS_FILE)) {
                    Files.copy(f, unlabelled.resolve(f.getFileName()));
                }
            }
        }
        Path hierarchy = Files.writeString(tmp.resolve("h.tsv"), "even\tany\nodd\tany\n");
        String m = model.toString();
        String d = data.toString();
        record Bad(String[] args, String... mentions) {
        }
        List<Bad> cases = List.of(
                new Bad(new String[]{"-m", m}, "--data is required"),
                new Bad(new String[]{"-m", m, "-d", d, "--rows", "600:700"}, "--rows: '600:700'", "<= 640"),
                new Bad(new String[]{"-m", m, "-d", d, "--pooling", "avg"}, "--pooling: 'avg'", "one of MAX, MEAN"),
                new Bad(new String[]{"-m", m, "-d", unlabelled.toString(), "--hierarchy", hierarchy.toString()},
                        "--hierarchy " + hierarchy, "labels.npy"),
                new Bad(new String[]{"-m", m, "-d", d, "--no-labels", "--hierarchy", hierarchy.toString()},
                        "--hierarchy " + hierarchy, "--no-labels"));
        List<Bad> reportOnly = List.of(
                new Bad(new String[]{"-m", m, "-d", d, "--grid", "3x"}, "--grid: '3x'", "HxW"),
                new Bad(new String[]{"-m", m, "-d", d, "--grid", "2x4"}, "--grid 2x4", "--images"),
                new Bad(new String[]{"-m", m, "-d", d, "--concept-ids", "99999"}, "--concept-ids", "'99999'", "[0, 64)"),
                new Bad(new String[]{"-m", m, "-d", d, "--screenshot-height", "0"}, "--screenshot-height: 0", ">= 1"),
                new Bad(new String[]{"-m", m, "-d", d, "--images", tmp.resolve("none.xml").toString()},
                        "--images " + tmp.resolve("none.xml"), "no such extraction config"),
                new Bad(new String[]{"-m", m, "-d", d, "--visualizations", tmp.resolve("no-vis").toString()},
                        "--visualizations " + tmp.resolve("no-vis"), "no such folder"));
        int n = 0;
        for (String command : List.of("analyze", "report")) {
            List<Bad> all = new ArrayList<>(cases);
            if (command.equals("report")) {
                all.addAll(reportOnly);
            }
            for (Bad b : all) {
                Path out = tmp.resolve("bad-" + (n++));
                List<String> args = new ArrayList<>(List.of(command));
                args.addAll(List.of(b.args()));
                args.addAll(command.equals("report") ? List.of("-o", out.resolve("r.html").toString())
                        : List.of("--json", out.resolve("a.json").toString()));
                UsaeCliTest.Run r = UsaeCliTest.usae(args.toArray(String[]::new));
                String what = String.join(" ", args) + " -> " + r.err();
                assertEquals(2, r.code(), what);
                assertTrue(r.err().startsWith("usae " + command + ": error: "), what);
                assertEquals(1, r.err().strip().lines().count(), "one line: " + what);
                for (String s : b.mentions()) {
                    assertTrue(r.err().contains(s), "should mention '" + s + "': " + what);
                }
                assertFalse(Files.exists(out), "nothing written: " + what);
            }
        }
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int q = 0; q < out.length; q++) {
            out[q] = array.get(q).asInt();
        }
        return out;
    }
}
