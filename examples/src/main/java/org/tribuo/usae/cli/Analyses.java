package org.tribuo.usae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.train.IndependentBaselines;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.metrics.labels.LabelAnalysis;
import org.tribuo.usae.metrics.labels.LabelAnalysisOptions;
import org.tribuo.usae.metrics.labels.LabelAnalysisResult;
import org.tribuo.usae.metrics.labels.LabelHierarchy;
import org.tribuo.usae.metrics.labels.LabelHierarchyReader;
import org.tribuo.usae.metrics.labels.LabelPurity;
import org.tribuo.usae.metrics.labels.LabelTable;
import org.tribuo.usae.metrics.labels.Pooling;
import org.tribuo.usae.metrics.labels.ProbeOptions;
import org.tribuo.usae.model.UsaeModel;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code usae analyze} measures on one range of rows: the R2 matrix and sparsity, the concept
 * analyses (energy, firing, co-firing, entropy, dead concepts, optional consistency with independent SAEs)
 * and, when the set carries labels, the label metrics (Jaccard alignment, 1-D probes, purity).
 *
 * @param from        first row analysed.
 * @param to          end of the rows (exclusive).
 * @param evaluation  R2 matrix and sparsity.
 * @param concepts    concept analyses.
 * @param labels      label metrics, or null when the set has no labels (or they were skipped).
 */
record Analyses(long from, long to, EvaluationReport evaluation, ConceptAnalysisResult concepts,
                LabelAnalysisResult labels) {
    static final String FORMAT = "tribuo-usae analysis 1";

    static Analyses run(UsaeModel model, ActivationSet set, AnalysisOptions opts, PrintStream log) {
        // the options were checked (AnalysisOptions.validate) before the model was read
        long[] range = RowRange.resolve(opts.rows, model, set.rows());
        Pooling pooling = opts.poolingMode();
        ProbeOptions.ProbeSolver solver = opts.solver();
        Optional<LabelTable> table = opts.noLabels ? Optional.empty() : InputLabelFile.read(opts.data);
        if (table.isEmpty() && opts.hierarchy != null) {
            throw new CliException("--hierarchy " + opts.hierarchy + " needs the label metrics, but " + (opts.noLabels
                    ? "--no-labels skips them" : opts.data + " has no " + InputLabelFile.LABELS_FILE + " + "
                    + InputLabelFile.NAMES_FILE));
        }
        long from = range[0];
        long to = range[1];
        log.printf(Locale.ROOT, "Analysing rows [%d, %d) of %s%n", from, to, opts.data);
        EvaluationReport evaluation = ModelEvaluation.evaluate(model, set, from, to, opts.batchSize);

        ConceptAnalysis.Options conceptOptions = ConceptAnalysis.Options.DEFAULT.withThreshold(opts.threshold)
                .withMinCoFiresForFit(opts.minCoFires);
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
            ProbeOptions probe = ProbeOptions.defaults().withMinPositives(opts.minPositives).withSolver(solver);
            LabelAnalysisOptions labelOptions = new LabelAnalysisOptions(pooling, probe, LabelPurity.Options.defaults());
            labels = LabelAnalysis.run(model, set, from, to, opts.batchSize, table.get(), hierarchy, labelOptions);
        }
        return new Analyses(from, to, evaluation, concepts, labels);
    }

    /** @return one JSON document: format, rows, evaluation, concepts and labels (null when absent). */
    String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            ObjectNode root = mapper.createObjectNode();
            root.put("format", FORMAT);
            root.put("from", from);
            root.put("to", to);
            root.set("evaluation", mapper.readTree(evaluation.toJson()));
            root.set("concepts", mapper.readTree(concepts.toJson()));
            root.set("labels", labels == null ? mapper.nullNode() : mapper.readTree(labels.toJson()));
            return mapper.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("could not assemble the analysis JSON", e);
        }
    }

    /** @return the human-readable summary. */
    String toText() {
        return evaluation.toText() + "\n" + concepts.toText() + (labels == null ? "\n(no labels: label metrics skipped)\n"
                : "\n" + labels.toText());
    }
}
