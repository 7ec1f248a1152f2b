package org.tribuo.usae.cli;

import org.tribuo.usae.pipeline.OptionChecks;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.pipeline.AnalysisOptions;
import org.tribuo.usae.pipeline.AnalysisResult;
import org.tribuo.usae.pipeline.Analysis;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.report.ImageSourceGallery;
import org.tribuo.usae.onnx.text.TextExtraction;
import org.tribuo.usae.report.AnalysisReport;
import org.tribuo.usae.report.ConceptExamples;
import org.tribuo.usae.report.ConceptPanel;
import org.tribuo.usae.report.HeadlessBrowser;
import org.tribuo.usae.report.PageCheck;
import org.tribuo.usae.report.ImageTile;
import org.tribuo.usae.report.InputGallery;
import org.tribuo.usae.report.TextGallery;
import org.tribuo.usae.sae.Architecture;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code usae report}: runs the analyses of {@code usae analyze} and writes one self-contained HTML page
 * (SVG charts, tables, the top concepts' top-activating inputs; nothing fetched when it is viewed), plus
 * the same {@code analysis.json}. With {@code --check} and {@code --screenshot} it then loads the page in
 * headless chromium ({@link HeadlessBrowser}) to verify it and to take a picture.
 */
final class ReportCommand implements Usae.Command {
    /** Options of {@code usae report}. */
    public static final class ReportOptions implements Options {
        public AnalysisOptions analysis = new AnalysisOptions();
        @Option(charName = 'o', longName = "output", usage = "The HTML file (default: report.html in the model's folder).")
        public Path output;
        @Option(longName = "concepts", usage = "How many of the most important concepts (by energy) get example panels "
                + "(default 8).")
        public int concepts = 8;
        @Option(longName = "concept-ids", usage = "Comma-separated concept ids to show as well (before the top ones).")
        public List<String> conceptIds = List.of();
        @Option(longName = "examples", usage = "Top-activating inputs per concept (default 6).")
        public int examples = 6;
        @Option(longName = "images", usage = "For image sets: the extraction config (-c of usae extract) whose image "
                + "source produced the set, to draw the inputs with their token heatmaps.")
        public Path images;
        @Option(longName = "extraction", usage = "Name of the extraction component in --images (default extraction).")
        public String extraction = "extraction";
        @Option(longName = "grid", usage = "Token grid of image inputs as HxW (default: worked out from the --images "
                + "config's first backbone, e.g. 1x12 for the OCR strips).")
        public String grid;
        @Option(longName = "visualizations", usage = "Add the images usae visualize wrote into this folder "
                + "(coordinated activation maximisation, one row per concept).")
        public Path visualizations;
        @Option(longName = "screenshot", usage = "Also write a PNG screenshot of the page's top (needs chromium).")
        public Path screenshot;
        @Option(longName = "screenshot-height", usage = "Height of the screenshot in pixels (width 1280; default 3000).")
        public int screenshotHeight = 3000;
        @Option(longName = "check", usage = "Load the page in headless chromium and fail unless its script ran without "
                + "errors and drew charts.")
        public boolean check;

        /**
         * Checks the analysis options and the report's own counts before the model is read.
         *
         * @throws CliException naming the first bad option, its value and what it expects.
         */
        void validate() {
            analysis.validate();
            OptionChecks.atLeast("--concepts", concepts, 0, "a count", "0 shows no example panels; default 8");
            OptionChecks.atLeast("--examples", examples, 1, "a count", "default 6");
            OptionChecks.atLeast("--screenshot-height", screenshotHeight, 1, "a height in pixels", "default 3000");
        }
    }

    /** Width of screenshots, in CSS pixels: the report's layout width plus margins. */
    static final int SCREENSHOT_WIDTH = 1280;
    /** How long chromium may take for one page. */
    static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public String summary() {
        return "one self-contained HTML report: R2 heatmap, entropy, co-firing, dead concepts, probes, top inputs";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        ReportOptions opts = new ReportOptions();
        Set<String> flags = new LinkedHashSet<>(AnalysisOptions.FLAGS);
        flags.add("--check");
        new ConfigurationManager(BareFlags.expand(args, flags), opts, false);
        opts.validate();
        if (opts.analysis.data == null) {
            throw new CliException("--data is required (the activation set folder)");
        }
        int[] grid = parseGrid(opts.grid);
        if (opts.grid != null && opts.images == null) {
            throw new CliException("--grid " + opts.grid + " applies to image inputs; give --images (the extraction config) too");
        }
        ImageExtraction extraction = opts.images == null ? null : extraction(opts);
        if (opts.analysis.model == null) {
            throw new CliException("--model is required (a model.usae file or a training output folder)");
        }
        UsaeModel model = ModelFiles.load(opts.analysis.model);
        Path html = opts.output != null ? opts.output : ModelFiles.folderOf(opts.analysis.model).resolve("report.html");
        OutputPaths.requireWritableFile("--output", html);
        OutputPaths.requireWritableFile("--output", html.resolveSibling("analysis.json"));
        if (opts.screenshot != null) {
            OutputPaths.requireWritableFile("--screenshot", opts.screenshot);
        }
        Map<String, List<ImageTile>> camRows = opts.visualizations == null ? Map.of()
                : VisualizeCommand.readPanel(opts.visualizations, model.modelNames());
        List<Integer> requested = parseConceptIds(opts.conceptIds, model.parameters().architecture().numLatents());
        // the gallery first: a bad --images/--grid fails before the (slow) analyses
        InputGallery gallery = gallery(opts, extraction, grid);
        AnalysisResult analyses;
        int[] chosen;
        List<ConceptPanel> panels = List.of();
        // one opening of the set serves the analyses and the example panels
        try (ActivationSet set = ActivationSets.open(opts.analysis.data)) {
            analyses = Analysis.run(model, set, opts.analysis, out);
            out.println(analyses.toText());
            chosen = chooseConcepts(requested, opts.concepts, analyses);
            if (gallery != null && chosen.length > 0) {
                requireRowIndex(set, opts.analysis.data);
                panels = ConceptExamples.find(model, set, chosen, opts.examples, opts.analysis.batchSize);
            }
        }
        AnalysisReport.build(new AnalysisReport.Inputs("USAE report: " + String.join(" · ", model.modelNames()),
                facts(model, opts, analyses), analyses.evaluation(), analyses.concepts(), analyses.labels(), panels,
                gallery, 1000, VisualizeCommand.PANEL_HEADING, VisualizeCommand.PANEL_HOW_TO_READ, camRows)).write(html);
        Path json = html.resolveSibling("analysis.json");
        AtomicFiles.writeString(json, analyses.toJson());
        out.println("Wrote " + html + " (open it in any browser; it needs no network) and " + json);
        if (opts.check || opts.screenshot != null) {
            HeadlessBrowser browser = browser(html);
            if (opts.check) {
                check(browser, html, out);
            }
            if (opts.screenshot != null) {
                browser.screenshot(html, opts.screenshot, SCREENSHOT_WIDTH, opts.screenshotHeight);
                out.println("Wrote " + opts.screenshot + " (" + SCREENSHOT_WIDTH + "x" + opts.screenshotHeight + ")");
            }
        }
    }

    /** @return the image gallery (--images), else the text gallery when the set has inputs.tsv, else null. */
    private static InputGallery gallery(ReportOptions opts, ImageExtraction extraction, int[] grid) {
        if (extraction == null) {
            Path tsv = opts.analysis.data.resolve(TextExtraction.INPUTS_FILE);
            return Files.isRegularFile(tsv) ? TextGallery.read(tsv) : null;
        }
        try (ActivationSet set = ActivationSets.open(opts.analysis.data)) {
            requireRowIndex(set, opts.analysis.data);
            // with foreground selection inputs have fewer rows than grid cells; the config knows the grid
            int tokens = extraction.gridCells() > 0 ? extraction.gridCells() : tokensPerInput(set.rowIndex().get());
            return imageGallery(extraction, tokens, grid, opts);
        }
    }

    private static HeadlessBrowser browser(Path html) {
        try {
            return HeadlessBrowser.locate(BROWSER_TIMEOUT);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CliException("--screenshot/--check need headless chromium: " + e.getMessage() + " (the report "
                    + html + " was written)");
        }
    }

    private static void check(HeadlessBrowser browser, Path html, PrintStream out) {
        PageCheck c = browser.check(html);
        if (!c.ok()) {
            throw new CliException("--check: " + html + " did not load cleanly: ready state '" + c.readyState() + "'"
                    + (c.scriptErrors().isEmpty() ? "" : ", script errors: " + String.join(" | ", c.scriptErrors())));
        }
        if (c.totalCharts() == 0) {
            throw new CliException("--check: " + html + " loaded but shows no charts");
        }
        out.println("Checked " + html + " in " + browser.binary() + ": script ok, charts " + c.chartsByKind());
    }

    private static ImageExtraction extraction(ReportOptions opts) {
        if (!Files.isRegularFile(opts.images)) {
            throw new CliException("--images " + opts.images + ": no such extraction config file");
        }
        ImageExtraction extraction;
        try {
            ConfigurationManager cm = new ConfigurationManager(new String[]{"-c", opts.images.toString()});
            extraction = (ImageExtraction) cm.lookup(opts.extraction);
        } catch (PropertyException | ClassCastException e) {
            throw new CliException("--images " + opts.images + ": cannot read extraction component '" + opts.extraction
                    + "' (" + e.getMessage() + ")");
        }
        if (extraction == null) {
            throw new CliException("--images " + opts.images + " has no component named '" + opts.extraction + "'");
        }
        return extraction;
    }

    private static InputGallery imageGallery(ImageExtraction extraction, int tokens, int[] grid, ReportOptions opts) {
        try {
            return ImageSourceGallery.forExtraction(extraction, tokens, grid[0], grid[1]);
        } catch (IllegalArgumentException e) {
            throw new CliException("--images " + opts.images + (opts.grid == null ? "" : " with --grid " + opts.grid)
                    + ": " + e.getMessage() + (opts.grid == null ? " (--grid HxW)" : ""));
        }
    }

    /** @return the rows of the first input: extraction gives every input the same token count. */
    static int tokensPerInput(RowIndex index) {
        long first = index.inputId(0);
        long n = 1;
        while (n < index.rows() && index.inputId(n) == first) {
            n++;
        }
        return Math.toIntExact(n);
    }

    static int[] parseGrid(String spec) {
        if (spec == null) {
            return new int[]{0, 0};
        }
        String[] p = spec.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (p.length == 2 && Integer.parseInt(p[0].strip()) > 0 && Integer.parseInt(p[1].strip()) > 0) {
                return new int[]{Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw OptionChecks.bad("--grid", "'" + spec + "'", "is not a token grid", "HxW with positive integers, e.g. 14x14 "
                + "or 1x12");
    }

    private static void requireRowIndex(ActivationSet set, Path data) {
        if (set.rowIndex().isEmpty()) {
            throw new CliException(data + " has no row_index.npy, so rows cannot be grouped into inputs for the example "
                    + "panels; extraction writes it (usae extract, usae real)");
        }
    }

    private static List<Integer> parseConceptIds(List<String> specs, int numLatents) {
        List<Integer> ids = new ArrayList<>();
        for (String s : specs) {
            try {
                int id = Integer.parseInt(s.strip());
                if (id < 0 || id >= numLatents) {
                    throw new NumberFormatException();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                throw OptionChecks.bad("--concept-ids", "'" + s + "'", "is not a concept id of this model",
                        "integers in [0, " + numLatents + ")");
            }
        }
        return ids;
    }

    private static int[] chooseConcepts(List<Integer> requested, int topConcepts, AnalysisResult analyses) {
        Set<Integer> ids = new LinkedHashSet<>(requested);
        int[] rank = analyses.concepts().stats().energyRank();
        for (int r = 0; r < Math.min(topConcepts, rank.length); r++) {
            ids.add(rank[r]);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, String> facts(UsaeModel model, ReportOptions opts, AnalysisResult a) {
        Architecture arch = model.parameters().architecture();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("model", opts.analysis.model.toString());
        f.put("data", opts.analysis.data + String.format(Locale.ROOT, ", rows [%,d, %,d)", a.from(), a.to()));
        List<String> widths = new ArrayList<>();
        for (int i = 0; i < model.modelNames().size(); i++) {
            widths.add(model.modelNames().get(i) + " (" + model.parameters().dims()[i] + ")");
        }
        f.put("models", String.join(", ", widths));
        f.put("concepts", String.format(Locale.ROOT, "m = %d, k = %d, %s, %s", arch.numLatents(), arch.k(),
                arch.encoder(), arch.sparsity()));
        Provenance recipe = model.getProvenance().getTrainerProvenance().getConfiguredParameters().get("recipe");
        if (recipe != null) {
            f.put("recipe", recipe.toString());
        }
        f.put("firing threshold", String.valueOf(opts.analysis.threshold));
        return f;
    }
}
