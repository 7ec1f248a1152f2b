package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.report.AnalysisReport;
import org.tribuo.usae.report.ConceptExamples;
import org.tribuo.usae.report.ConceptPanel;
import org.tribuo.usae.report.HtmlReport;
import org.tribuo.usae.report.ImageTile;
import org.tribuo.usae.report.InputGallery;
import org.tribuo.usae.sae.Architecture;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report job, for a library user as for {@code usae report}: the analyses of {@link Analysis}, then one
 * self-contained HTML page (SVG charts, tables, the chosen concepts' top-activating inputs; nothing fetched when it
 * is viewed) and the same {@code analysis.json} next to it, the set opened once for the analyses and the example
 * panels. How inputs are drawn is the caller's ({@link InputGallery}: text from {@code inputs.tsv}, images from the
 * extraction's source, or none), as are optional rows of images per concept (activation maximisation).
 */
public final class Reporting {
    /** Co-firing ranks the page's CFP chart covers. */
    private static final int CFP_RANKS = 1000;

    private Reporting() {
    }

    /**
     * Images per concept and model shown under the panels, with their heading and a sentence on how to read them.
     * @param heading   the section's heading.
     * @param howToRead how to read it.
     * @param rows      per row (a concept), its tiles (one per model).
     */
    public record ImageRows(String heading, String howToRead, Map<String, List<ImageTile>> rows) {
    }

    /**
     * Loads the model and opens the set once, then reports.
     * @param opts    the options ({@code analysis.model} and {@code analysis.data} required).
     * @param gallery how inputs are drawn, or null for no example panels.
     * @param images  rows of images per concept, or null.
     * @param log     progress lines.
     * @return what was written.
     * @throws IllegalArgumentException in one line naming the option or file at fault, before the analyses run.
     */
    public static ReportingResult run(ReportingOptions opts, InputGallery gallery, ImageRows images, PrintStream log) {
        opts.validate();
        if (opts.analysis.data == null) {
            throw new IllegalArgumentException("--data is required (the activation set folder)");
        }
        if (opts.analysis.model == null) {
            throw new IllegalArgumentException("--model is required (a model.usae file or a training output folder)");
        }
        UsaeModel model = ModelFiles.load(opts.analysis.model);
        Path html = htmlFile(opts);
        try (ActivationSet set = ActivationSets.open(opts.analysis.data)) {
            return run(model, set, opts, gallery, images, html, log);
        }
    }

    /**
     * @param opts the options.
     * @return the page's file: {@code --output}, else report.html in the model's folder.
     */
    public static Path htmlFile(ReportingOptions opts) {
        return opts.output != null ? opts.output : ModelFiles.folderOf(opts.analysis.model).resolve("report.html");
    }

    /**
     * @param model   the model.
     * @param set     its activation set, open.
     * @param opts    the options.
     * @param gallery how inputs are drawn, or null for no example panels.
     * @param images  rows of images per concept, or null.
     * @param html    the page to write ({@code analysis.json} goes next to it).
     * @param log     progress lines.
     * @return what was written.
     */
    public static ReportingResult run(UsaeModel model, ActivationSet set, ReportingOptions opts, InputGallery gallery,
                                      ImageRows images, Path html, PrintStream log) {
        opts.validate();
        Path json = html.resolveSibling("analysis.json");
        OutputPaths.requireWritableFile("--output", html);
        OutputPaths.requireWritableFile("--output", json);
        List<Integer> requested = opts.conceptIds(model.parameters().architecture().numLatents());
        AnalysisResult analyses = Analysis.run(model, set, opts.analysis, log);
        log.println(analyses.toText());
        int[] chosen = chooseConcepts(requested, opts.concepts, analyses);
        List<ConceptPanel> panels = List.of();
        if (gallery != null && chosen.length > 0) {
            if (set.rowIndex().isEmpty()) {
                throw new IllegalArgumentException((opts.analysis.data == null ? "the set" : opts.analysis.data)
                        + " has no row_index.npy, so rows cannot be grouped into inputs for the example panels; "
                        + "extraction writes it (usae extract, usae real)");
            }
            panels = ConceptExamples.find(model, set, chosen, opts.examples, opts.analysis.batchSize);
        }
        HtmlReport page = AnalysisReport.build(new AnalysisReport.Inputs("USAE report: "
                + String.join(" · ", model.modelNames()), facts(model, opts, analyses), analyses.evaluation(),
                analyses.concepts(), analyses.labels(), panels, gallery, CFP_RANKS,
                images == null ? "" : images.heading(), images == null ? "" : images.howToRead(),
                images == null ? Map.of() : images.rows()));
        String analysisJson = analyses.toJson();
        // both files or neither: each is written atomically, and the page goes again if the JSON cannot be written
        page.write(html);
        try {
            AtomicFiles.writeString(json, analysisJson);
        } catch (RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(html);
            } catch (java.io.IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.println("Wrote " + html + " (open it in any browser; it needs no network) and " + json);
        return new ReportingResult(analyses, html, json, chosen);
    }

    /** The requested concepts, then the top ones by energy, each once. */
    private static int[] chooseConcepts(List<Integer> requested, int topConcepts, AnalysisResult analyses) {
        Set<Integer> ids = new LinkedHashSet<>(requested);
        int[] rank = analyses.concepts().stats().energyRank();
        for (int r = 0; r < Math.min(topConcepts, rank.length); r++) {
            ids.add(rank[r]);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, String> facts(UsaeModel model, ReportingOptions opts, AnalysisResult a) {
        Architecture arch = model.parameters().architecture();
        Map<String, String> f = new LinkedHashMap<>();
        if (opts.analysis.model != null) {
            f.put("model", opts.analysis.model.toString());
        }
        f.put("data", (opts.analysis.data == null ? "the set" : opts.analysis.data.toString())
                + String.format(Locale.ROOT, ", rows [%,d, %,d)", a.from(), a.to()));
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
