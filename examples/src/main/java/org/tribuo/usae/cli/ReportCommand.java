package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.report.ImageSourceGallery;
import org.tribuo.usae.onnx.text.TextExtraction;
import org.tribuo.usae.report.AnalysisReport;
import org.tribuo.usae.report.ConceptExamples;
import org.tribuo.usae.report.ConceptPanel;
import org.tribuo.usae.report.InputGallery;
import org.tribuo.usae.report.TextGallery;
import org.tribuo.usae.sae.Architecture;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the same {@code analysis.json}.
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
        @Option(longName = "grid", usage = "Token grid of image inputs as HxW (default: square).")
        public String grid;
    }

    @Override
    public String summary() {
        return "one self-contained HTML report: R2 heatmap, entropy, co-firing, dead concepts, probes, top inputs";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        ReportOptions opts = new ReportOptions();
        new ConfigurationManager(BareFlags.expand(args, "--baselines", "--no-labels", "--check"), opts, false);
        if (opts.concepts < 0 || opts.examples < 1) {
            throw new CliException("--concepts must be >= 0 and --examples >= 1, got " + opts.concepts + " and " + opts.examples);
        }
        InputGallery gallery = gallery(opts);
        Analyses analyses = AnalyzeCommand.analyse(opts.analysis, out);
        out.println(analyses.toText());
        UsaeModel model = ModelFiles.load(opts.analysis.model);
        int[] chosen = chooseConcepts(opts, analyses, model.parameters().architecture().numLatents());
        List<ConceptPanel> panels = List.of();
        if (gallery != null && chosen.length > 0) {
            try (ActivationSet set = ActivationSets.open(opts.analysis.data)) {
                requireRowIndex(set, opts.analysis.data);
                panels = ConceptExamples.find(model, set, chosen, opts.examples, opts.analysis.batchSize);
            }
        }
        Path folder = ModelFiles.folderOf(opts.analysis.model);
        Path html = opts.output != null ? opts.output : folder.resolve("report.html");
        AnalysisReport.build(new AnalysisReport.Inputs("USAE report: " + String.join(" · ", model.modelNames()),
                facts(model, opts, analyses), analyses.evaluation(), analyses.concepts(), analyses.labels(), panels,
                gallery, 1000)).write(html);
        Path json = html.resolveSibling("analysis.json");
        AtomicFiles.writeString(json, analyses.toJson());
        out.println("Wrote " + html + " (open it in any browser; it needs no network) and " + json);
    }

    private static InputGallery gallery(ReportOptions opts) {
        if (opts.analysis.data == null) {
            throw new CliException("--data is required (the activation set folder)");
        }
        if (opts.images != null) {
            if (!Files.isRegularFile(opts.images)) {
                throw new CliException("--images " + opts.images + ": no such extraction config file");
            }
            int[] grid = parseGrid(opts.grid);
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
            return ImageSourceGallery.of(extraction.source().load(), grid[0], grid[1]);
        }
        Path tsv = opts.analysis.data.resolve(TextExtraction.INPUTS_FILE);
        return Files.isRegularFile(tsv) ? TextGallery.read(tsv) : null;
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
        throw new CliException("--grid '" + spec + "' must be HxW with positive integers, e.g. 14x14 or 1x12");
    }

    private static void requireRowIndex(ActivationSet set, Path data) {
        if (set.rowIndex().isEmpty()) {
            throw new CliException(data + " has no row_index.npy, so rows cannot be grouped into inputs for the example "
                    + "panels; extraction writes it (usae extract, usae real)");
        }
    }

    private static int[] chooseConcepts(ReportOptions opts, Analyses analyses, int numLatents) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String s : opts.conceptIds) {
            try {
                int id = Integer.parseInt(s.strip());
                if (id < 0 || id >= numLatents) {
                    throw new NumberFormatException();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                throw new CliException("--concept-ids: '" + s + "' is not a concept id in [0, " + numLatents + ")");
            }
        }
        int[] rank = analyses.concepts().stats().energyRank();
        for (int r = 0; r < Math.min(opts.concepts, rank.length); r++) {
            ids.add(rank[r]);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, String> facts(UsaeModel model, ReportOptions opts, Analyses a) {
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
