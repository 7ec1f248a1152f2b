package org.tribuo.usae.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSetWriter;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.report.HeadlessBrowser;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regressions of issue 17 for {@code usae report} and {@code usae analyze}: a report on few rows (where
 * no concept co-fires, so the co-fire vs energy scatter has nothing to plot) is written with a note in
 * place of the empty chart instead of failing (case 10), and a bad analysis option is a one-line error
 * before any work is done (case 12). One tiny model is trained once on a plain .npy folder.
 */
class CliRegressionReportTest {
    /** 520 rows with 5 % held out: the trainer leaves the last 26 rows for evaluation. */
    static final int ROWS = 520;
    /** Tokens per input of the labelled set: 520 rows are 65 inputs, and the 26 held-out rows touch 4 of them. */
    static final int TOKENS = 8;
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static Path labelled;
    static Path labelledModel;

    @BeforeAll
    static void trainOnFewRows() throws Exception {
        data = UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), ROWS);
        // 3 steps from a zero bias (ALIGNED's start before issue 20): the models' latents do not co-fire yet, so the
        // report's scatter has nothing to plot, which is what these tests need
        UsaeCliTest.Run train = UsaeCliTest.usae("train", "-d", data.toString(), "-o", tmp.resolve("model").toString(),
                "--steps", "3", "--latents", "64", "-k", "4", "--batch-size", "64", "--hold-out", "0.05",
                "--@trainer.biasInit", "ZERO");
        assertEquals(0, train.code(), train.err());
        model = tmp.resolve("model");

        // the same rows as inputs of 8 tokens with a label each (even/odd input id), so the label metrics run too
        labelled = tmp.resolve("labelled");
        PlantedData d = PlantedConcepts.generate(PlantedOptions.demo().withRows(ROWS));
        try (ActivationSetWriter w = ActivationSetWriter.create(labelled, List.of(d.names()), d.dims(), true)) {
            long[] ids = new long[ROWS];
            long[] positions = new long[ROWS];
            for (int r = 0; r < ROWS; r++) {
                ids[r] = r / TOKENS;
                positions[r] = r % TOKENS;
            }
            w.append(d.x(), ROWS, ids, positions);
        }
        long[] labels = new long[ROWS / TOKENS];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        InputLabelFile.write(labelled, List.of("even", "odd"), labels);
        UsaeCliTest.Run trainLabelled = UsaeCliTest.usae("train", "-d", labelled.toString(), "-o",
                tmp.resolve("labelled-model").toString(), "--steps", "3", "--latents", "64", "-k", "4", "--batch-size", "64",
                "--hold-out", "0.05", "--@trainer.biasInit", "ZERO");
        assertEquals(0, trainLabelled.code(), trainLabelled.err());
        labelledModel = tmp.resolve("labelled-model");
    }

    /** Runs report on the plain set with the given extra arguments and returns the page it wrote. */
    private static String report(String name, String... rows) throws Exception {
        return report(model, data, name, rows);
    }

    private static String report(Path model, Path data, String name, String... rows) throws Exception {
        Path html = tmp.resolve(name + "/report.html");
        List<String> args = new ArrayList<>(List.of("report", "-m", model.toString(), "-d", data.toString(),
                "-o", html.toString()));
        args.addAll(List.of(rows));
        UsaeCliTest.Run r = UsaeCliTest.usae(args.toArray(String[]::new));
        assertEquals(0, r.code(), "report " + args + " failed: " + r.err());
        assertTrue(Files.isRegularFile(html), html.toString());
        assertTrue(Files.isRegularFile(html.resolveSibling("analysis.json")));
        return Files.readString(html, StandardCharsets.UTF_8);
    }

    @Test
    void reportOnTheFewHeldOutRowsNotesTheEmptyScatter() throws Exception {
        String page = report("held-out");
        assertTrue(page.contains("rows [494, 520)"), "default rows are the 26 held-out rows");
        assertNothingToPlotScatter(page);
    }

    @Test
    void reportOnOneRowNotesTheEmptyScatterAndKeepsEveryChart() throws Exception {
        String page = report("one-row", "--rows", "0:1");
        assertTrue(page.contains("rows [0, 1)"), "one row");
        assertNothingToPlotScatter(page);
        // the page check (--check reads the same from chromium's DOM) counts the noted chart like a drawn one
        assertEquals(Map.of("heatmap", 2, "histogram", 1, "line", 1, "scatter", 1, "bar", 1),
                HeadlessBrowser.parse(page).chartsByKind());
    }

    @Test
    void reportOnFewLabelledInputsNotesTheEmptyProbes() throws Exception {
        // 1 and 4 inputs: no label has more than the default 50 positives, so no probe task
        for (String rows : List.of("0:1", "494:520")) {
            String page = report(labelledModel, labelled, "labelled-" + rows.replace(':', '-'), "--rows", rows);
            assertNothingToPlotScatter(page);
            assertTrue(page.contains("No probe task on these rows"), rows + ": the probe table says why it is empty");
        }
        Path json = tmp.resolve("labelled-analysis.json");
        UsaeCliTest.Run r = UsaeCliTest.usae("analyze", "-m", labelledModel.toString(), "-d", labelled.toString(),
                "--rows", "0:1", "--min-positives", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(json).contains("\"probe\""), "label metrics ran");
    }

    /** The scatter is still a chart the page check counts, holding the note instead of points. */
    private static void assertNothingToPlotScatter(String page) {
        int scatter = page.indexOf("<svg class=\"chart\" data-chart=\"scatter\"");
        assertTrue(scatter >= 0, "the scatter section keeps a chart element");
        String svg = page.substring(scatter, page.indexOf("</svg>", scatter));
        assertTrue(svg.contains("Nothing to plot"), svg);
        assertTrue(svg.contains("co-fires"), "the note says why: " + svg);
        assertFalse(svg.contains("class=\"mark"), "no marks drawn: " + svg);
    }

    @Test
    void analyzeOnFewRowsWritesItsJson() throws Exception {
        for (String rows : List.of("0:1", "494:520")) {
            Path json = tmp.resolve("analysis-" + rows.replace(':', '-') + ".json");
            UsaeCliTest.Run r = UsaeCliTest.usae("analyze", "-m", model.toString(), "-d", data.toString(), "--rows", rows,
                    "--json", json.toString());
            assertEquals(0, r.code(), rows + ": " + r.err());
            assertTrue(Files.isRegularFile(json), json.toString());
        }
    }

    @Test
    void negativeMinPositivesIsOneLineAndWritesNoAnalysis() {
        Path json = model.resolve("analysis.json");
        UsaeCliTest.Run r = UsaeCliTest.usae("analyze", "-m", model.toString(), "-d", data.toString(),
                "--min-positives", "-5");
        assertEquals(2, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--min-positives: -5 is negative"), r.err());
        assertFalse(Files.exists(json), "no " + json);
    }

    /**
     * @param option   the option given a bad value.
     * @param value    the value as typed.
     * @param expected what the message must also say.
     */
    record BadOption(String option, String value, String expected) {
    }

    @Test
    void badAnalysisOptionsFailInOneLineBeforeAnyWork() throws Exception {
        List<BadOption> analyze = List.of(
                new BadOption("--min-positives", "-5", "is negative; expected a count >= 1 (SPARC uses 50)"),
                new BadOption("--min-positives", "0", "expected a count >= 1"),
                new BadOption("--batch-size", "0", "expected a count >= 1"),
                new BadOption("--batch-size", "-3", "expected a count >= 1"),
                new BadOption("--threshold", "-0.5", "expected a finite number >= 0"),
                new BadOption("--threshold", "NaN", "expected a finite number >= 0"),
                new BadOption("--threshold", "Infinity", "expected a finite number >= 0"),
                new BadOption("--min-cofires", "-1", "expected a count >= 1"),
                new BadOption("--min-cofires", "0", "expected a count >= 1"),
                new BadOption("--min-trace", "0", "expected a finite number > 0"),
                new BadOption("--min-trace", "NaN", "expected a finite number > 0"),
                new BadOption("--baseline-steps", "0", "expected a positive integer"),
                new BadOption("--baseline-steps", "ten", "expected a positive integer"),
                new BadOption("--pooling", "median", "expected one of MAX, MEAN"),
                new BadOption("--probe-solver", "sgd", "expected one of TRIBUO, EXACT"),
                new BadOption("--rows", "5:5", "expected 'all' or FROM:TO"),
                new BadOption("--rows", "-1:4", "expected 'all' or FROM:TO"),
                new BadOption("--rows", "9:3", "expected 'all' or FROM:TO"),
                new BadOption("--rows", "some", "expected 'all' or FROM:TO"),
                new BadOption("--rows", "0:9999", "set has " + ROWS + " rows"));
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (BadOption b : analyze) {
            Path json = tmp.resolve("bad-" + n++ + ".json");
            UsaeCliTest.Run r = UsaeCliTest.usae("analyze", "-m", model.toString(), "-d", data.toString(),
                    b.option(), b.value(), "--json", json.toString());
            String why = why(r, b);
            if (why == null && Files.exists(json)) {
                why = "wrote " + json;
            }
            if (why != null) {
                bad.add("analyze " + b + ": " + why);
            }
        }
        List<BadOption> report = List.of(
                new BadOption("--concepts", "-2", "expected a count >= 0"),
                new BadOption("--examples", "0", "expected a count >= 1"),
                new BadOption("--screenshot-height", "0", "expected a height in pixels >= 1"),
                new BadOption("--min-positives", "-5", "expected a count >= 1"));
        for (BadOption b : report) {
            Path html = tmp.resolve("bad-" + n++ + "/report.html");
            UsaeCliTest.Run r = UsaeCliTest.usae("report", "-m", model.toString(), "-d", data.toString(),
                    b.option(), b.value(), "-o", html.toString());
            String why = why(r, b);
            if (why == null && Files.exists(html.getParent())) {
                why = "wrote into " + html.getParent();
            }
            if (why != null) {
                bad.add("report " + b + ": " + why);
            }
        }
        assertEquals(List.of(), bad);
    }

    /** @return null when the run failed with one line naming the option, the value and what was expected. */
    private static String why(UsaeCliTest.Run r, BadOption b) {
        String err = r.err().strip();
        if (r.code() != 2) {
            return "exit " + r.code() + ", stderr: " + err;
        }
        if (err.contains("\n")) {
            return "more than one line: " + err;
        }
        for (String m : List.of(b.option() + ":", b.value(), b.expected())) {
            if (!err.contains(m)) {
                return "does not mention '" + m + "': " + err;
            }
        }
        if (r.out().contains("Analysing rows")) {
            return "started the analyses before failing: " + r.out();
        }
        return null;
    }
}
