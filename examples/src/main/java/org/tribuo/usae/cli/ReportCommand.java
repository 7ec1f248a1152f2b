package org.tribuo.usae.cli;

import org.tribuo.usae.pipeline.OptionChecks;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.pipeline.AnalysisOptions;
import org.tribuo.usae.pipeline.Reporting;
import org.tribuo.usae.pipeline.ReportingOptions;
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
    /** Options of {@code usae report}: the library's report job's, plus how to draw image inputs and the browser checks. */
    public static final class ReportOptions implements Options {
        /** The report job's options (analyses, output, concepts, examples). */
        public ReportingOptions report = new ReportingOptions();
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
         * Checks the job's options and the command's own before the model is read.
         *
         * @throws IllegalArgumentException naming the first bad option, its value and what it expects.
         */
        void validate() {
            report.validate();
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
        ReportingOptions report = opts.report;
        if (report.analysis.data == null) {
            throw new CliException("--data is required (the activation set folder)");
        }
        int[] grid = parseGrid(opts.grid);
        if (opts.grid != null && opts.images == null) {
            throw new CliException("--grid " + opts.grid + " applies to image inputs; give --images (the extraction config) too");
        }
        ImageExtraction extraction = opts.images == null ? null : extraction(opts);
        if (report.analysis.model == null) {
            throw new CliException("--model is required (a model.usae file or a training output folder)");
        }
        UsaeModel model = ModelFiles.load(report.analysis.model);
        Path html = Reporting.htmlFile(report);
        if (opts.screenshot != null) {
            OutputPaths.requireWritableFile("--screenshot", opts.screenshot);
        }
        Reporting.ImageRows camRows = opts.visualizations == null ? null : new Reporting.ImageRows(
                VisualizeCommand.PANEL_HEADING, VisualizeCommand.PANEL_HOW_TO_READ,
                VisualizeCommand.readPanel(opts.visualizations, model.modelNames()));
        // the gallery first: a bad --images/--grid fails before the (slow) analyses
        InputGallery gallery = gallery(opts, extraction, grid);
        // one opening of the set serves the analyses and the example panels
        try (ActivationSet set = ActivationSets.open(report.analysis.data)) {
            Reporting.run(model, set, report, gallery, camRows, html, out);
        }
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
            Path tsv = opts.report.analysis.data.resolve(TextExtraction.INPUTS_FILE);
            return Files.isRegularFile(tsv) ? TextGallery.read(tsv) : null;
        }
        try (ActivationSet set = ActivationSets.open(opts.report.analysis.data)) {
            requireRowIndex(set, opts.report.analysis.data);
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

}
