package org.tribuo.usae.pipeline;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.TraceCriteria;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.metrics.labels.LabelAnalysis;
import org.tribuo.usae.metrics.labels.LabelAnalysisOptions;
import org.tribuo.usae.metrics.labels.LabelAnalysisResult;
import org.tribuo.usae.metrics.labels.LabelHierarchy;
import org.tribuo.usae.metrics.labels.LabelHierarchyReader;
import org.tribuo.usae.metrics.labels.LabelPurity;
import org.tribuo.usae.metrics.labels.LabelTable;
import org.tribuo.usae.metrics.labels.ProbeOptions;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.train.IndependentBaselines;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis job: everything {@code usae analyze} measures on one range of a set's rows (the paper's analyses and
 * SPARC's label metrics), for a library user as for the CLI.
 * <pre>{@code
 * AnalysisOptions opts = new AnalysisOptions();
 * opts.model = Path.of("run/model.usae");
 * opts.data = Path.of("acts");
 * AnalysisResult result = Analysis.run(opts, System.out);
 * }</pre>
 */
public final class Analysis {
    private Analysis() {
    }

    /**
     * Loads the model and opens the set once, then analyses.
     * @param opts the options ({@code model} and {@code data} required).
     * @param log  progress lines.
     * @return what was measured.
     * @throws IllegalArgumentException in one line naming the option or file at fault.
     */
    public static AnalysisResult run(AnalysisOptions opts, PrintStream log) {
        if (opts.model == null) {
            throw new IllegalArgumentException("--model is required (a model.usae file or a training output folder)");
        }
        if (opts.data == null) {
            throw new IllegalArgumentException("--data is required (the activation set folder)");
        }
        opts.validate();
        UsaeModel model = ModelFiles.load(opts.model);
        try (ActivationSet set = ActivationSets.open(opts.data)) {
            return run(model, set, opts, log);
        }
    }

    /**
     * @param model the model.
     * @param set   its activation set, open ({@code opts.data} names it: the labels are read next to it).
     * @param opts  the options (checked here).
     * @param log   progress lines.
     * @return what was measured.
     */
    public static AnalysisResult run(UsaeModel model, ActivationSet set, AnalysisOptions opts, PrintStream log) {
        opts.validate();
        long[] range = RowRange.resolve(opts.rows, model, set.rows());
        Optional<LabelTable> table = opts.noLabels || opts.data == null ? Optional.empty() : InputLabelFile.read(opts.data);
        if (table.isEmpty() && opts.hierarchy != null) {
            throw new IllegalArgumentException("--hierarchy " + opts.hierarchy + " needs the label metrics, but "
                    + (opts.noLabels ? "--no-labels skips them" : opts.data + " has no " + InputLabelFile.LABELS_FILE
                    + " + " + InputLabelFile.NAMES_FILE));
        }
        long from = range[0];
        long to = range[1];
        log.printf(Locale.ROOT, "Analysing rows [%d, %d) of %s%n", from, to, opts.data);
        EvaluationReport evaluation = ModelEvaluation.evaluate(model, set, from, to, opts.batchSize);

        ConceptAnalysis.Options conceptOptions = ConceptAnalysis.Options.DEFAULT.withThreshold(opts.threshold)
                .withMinCoFiresForFit(opts.minCoFires)
                .withTraceCriteria(new TraceCriteria(opts.minTrace, TraceCriteria.DEFAULT.minFires()));
        if (opts.baselines) {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (opts.baselineSteps != null) {
                overrides.put("steps", opts.baselineStepsOverride());
            }
            log.println("Training one independent SAE per model (same recipe" + (overrides.isEmpty() ? "" : ", " + overrides)
                    + ") ...");
            long t0 = System.nanoTime();
            List<UsaeModel> independent = IndependentBaselines.train(model, set, overrides);
            log.printf(Locale.ROOT, "  trained %d baselines in %.1f s%n", independent.size(), (System.nanoTime() - t0) / 1e9);
            conceptOptions = conceptOptions.withIndependentModels(independent);
        }
        ConceptAnalysisResult concepts = ConceptAnalysis.run(model, set, from, to, opts.batchSize, conceptOptions);

        LabelAnalysisResult labels = null;
        if (table.isPresent()) {
            Optional<LabelHierarchy> hierarchy = Optional.ofNullable(opts.hierarchy).map(h ->
                    h.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                            ? LabelHierarchyReader.readOpenImagesJson(h) : LabelHierarchyReader.readTsv(h));
            ProbeOptions probe = ProbeOptions.defaults().withMinPositives(opts.minPositives).withSolver(opts.solver());
            LabelAnalysisOptions labelOptions = new LabelAnalysisOptions(opts.poolingMode(), probe,
                    LabelPurity.Options.defaults());
            labels = LabelAnalysis.run(model, set, from, to, opts.batchSize, table.get(), hierarchy, labelOptions);
        }
        return new AnalysisResult(from, to, evaluation, concepts, labels);
    }
}
