package org.tribuo.usae.report;

import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.ConceptStats;
import org.tribuo.usae.metrics.ConsistencyResult;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.metrics.labels.ConceptAlignment;
import org.tribuo.usae.metrics.labels.LabelAnalysisResult;
import org.tribuo.usae.metrics.labels.LabelPurity;
import org.tribuo.usae.metrics.labels.LinearProbe1D;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The analysis report of a trained USAE: the paper's figures (R2 matrix, firing-entropy histogram,
 * co-fire proportion by energy rank, co-fire vs energy, dead concepts, dictionary consistency), the
 * unique and universal concepts, the label metrics when the inputs carry labels, and the top-activating
 * inputs of the top concepts, each with a caption that says how to read it.
 */
public final class AnalysisReport {
    private AnalysisReport() {
    }

    /**
     * @param title      page title.
     * @param facts      model and data facts for the header (insertion order kept).
     * @param evaluation R2 matrix and sparsity on the analysed rows.
     * @param concepts   the concept analysis of the same rows.
     * @param labels     label metrics, or null when the inputs carry no labels.
     * @param panels     top-activating inputs of the chosen concepts (may be empty).
     * @param gallery    draws the panels' inputs, or null when there is nothing to draw them with.
     * @param cfpRanks   how many concepts (by energy rank) the co-fire proportion curve shows (paper: 1000).
     * @param camHeading      heading of the coordinated-activation-maximisation panel.
     * @param camHowToRead    its caption.
     * @param camRows         per concept its images (usae visualize), empty for none.
     */
    public record Inputs(String title, Map<String, String> facts, EvaluationReport evaluation,
                         ConceptAnalysisResult concepts, LabelAnalysisResult labels, List<ConceptPanel> panels,
                         InputGallery gallery, int cfpRanks, String camHeading, String camHowToRead,
                         Map<String, List<ImageTile>> camRows) {
        public Inputs {
            if (cfpRanks < 1) {
                throw new IllegalArgumentException("cfpRanks must be >= 1, got " + cfpRanks);
            }
            facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
            panels = List.copyOf(panels);
            camRows = Collections.unmodifiableMap(new LinkedHashMap<>(camRows));
        }
    }

    /** @param in what to show. @return the page, ready to {@link HtmlReport#write}. */
    public static HtmlReport build(Inputs in) {
        HtmlReport page = HtmlReport.builder(in.title());
        in.facts().forEach(page::fact);
        ConceptStats stats = in.concepts().stats();
        String[] names = stats.names().toArray(String[]::new);
        int numModels = names.length;

        page.chart("Reconstruction R² matrix",
                "Row i, column j: encode model i's activations with encoder i, decode them with model j's decoder and "
                        + "compare to model j's activations of the same tokens (the official R²: one scalar mean, per batch, "
                        + "averaged). The diagonal is self-reconstruction; off-diagonal cells above 0 mean the shared "
                        + "concept space carries information from one model to another (paper Fig. 5).",
                Heatmap.r2(in.evaluation().r2(), R2Kind.OFFICIAL));
        page.chart("Reconstruction R² matrix (variance-weighted)",
                "The same cells with sklearn's variance-weighted R² (per-dimension means: 1 − ΣSSE/ΣSST), the formula "
                        + "SPARC's benchmark reports. It is lower than the official R² when dimensions have different means.",
                Heatmap.r2(in.evaluation().r2(), R2Kind.VARIANCE_WEIGHTED));

        page.chart("Firing entropy",
                "For each concept, how evenly its firings (code > τ = " + fmt(stats.threshold()) + ") spread over the "
                        + numModels + " models: 1 = equally often in every model (universal), 0 = in one model only (unique "
                        + "to it) or never. The paper's ImageNet USAE is bimodal with a peak near 1 (Fig. 6a). Concepts that "
                        + "never fire count as 0.",
                Histogram.svg(stats.firingEntropy(), 20, 0, 1, "firing entropy", "concepts"));

        page.chart("Co-fire proportion by energy rank",
                "Concepts sorted by aggregated energy (importance, rank 1 = most important). For each model, the share "
                        + "of that model's firings where every model fires on the same token. High values on the left mean "
                        + "the most important concepts are shared (paper Fig. 6b).",
                cfpChart(stats, in.cfpRanks()));

        double[] x = new double[stats.numConcepts()];
        double[] y = new double[stats.numConcepts()];
        String[] labels = new String[stats.numConcepts()];
        for (int k = 0; k < x.length; k++) {
            x[k] = stats.coFireCounts()[k];
            y[k] = stats.energyAggregated()[k] / numModels;
            labels[k] = "concept " + k;
        }
        page.chart("Co-firing vs importance",
                "Each dot is a concept: its co-fire count (tokens where all models fire) against its mean energy per "
                        + "model, both on log scales, with the least-squares line and Pearson r of the logs; the second line "
                        + "keeps concepts with at least " + (long) in.concepts().frequentCoFireEnergyFit().minX()
                        + " co-fires. The paper finds r = 0.63 for all concepts and 0.89 for the frequent ones (Fig. 6c): "
                        + "concepts that fire together across models are the important ones.",
                ScatterChart.logLog(x, y, labels, in.concepts().frequentCoFireEnergyFit().minX(), "co-fires (tokens)",
                        "energy / M"));

        page.chart("Dead concepts",
                "Share of the concepts that never fire on the analysed tokens, per model: never non-zero (raw) and never "
                        + "above τ. A concept dead in one model but alive in others is unique to those models; a concept "
                        + "dead everywhere is wasted capacity.",
                deadChart(stats));

        page.table("Unique and universal concepts",
                "Two rules. By co-firing (the paper's): universal when the co-fire proportion is ≥ "
                        + fmt(in.concepts().selection().criteria().minUniversalCoFireProportion())
                        + " in every model; unique to a model when the firing entropy is ≤ "
                        + fmt(in.concepts().selection().criteria().maxUniqueEntropy()) + " with ≥ "
                        + fmt(in.concepts().selection().criteria().minDominantShare()) + " of the firings in that model. "
                        + "By trace: universal when every model's activations move by ≥ "
                        + fmt(in.concepts().traceSelection().criteria().minTrace())
                        + " standard deviations along the concept's direction where the other models fire it (or it "
                        + "fires there itself); unique to a model when it fires there and moves no other model by that "
                        + "much. Per-model encoders can route one concept to different latents, which the co-firing rule "
                        + "misses; the trace rule reads the activations instead (docs/metrics.md, \"Concept traces\"). "
                        + "Ranked by energy; the first 20 ids are listed.",
                selectionTable(in.concepts(), names));

        if (!in.concepts().consistency().isEmpty()) {
            page.chart("Consistency with independently trained SAEs",
                    "Each USAE dictionary is matched one-to-one (Hungarian algorithm on cosine) with the dictionary of an "
                            + "SAE trained on that model alone with the same recipe. Per model, the fraction of concepts whose "
                            + "matched cosine exceeds t; the area under each curve is the AUC of the table below. A USAE that "
                            + "finds the concepts a single-model SAE finds stays high far to the right (paper Fig. 7).",
                    consistencyChart(in.concepts().consistency()));
            page.table("Consistency summary",
                    "Fraction of matched pairs with cosine above the threshold, and the area under the matched-fraction "
                            + "curve (AUC), against a random Gaussian dictionary of the same shape and moments (paper: 23-38 % "
                            + "matched on ImageNet, random AUC 0.13). \"top co-firing\" compares only the most co-firing "
                            + "concepts (paper Fig. 16).",
                    consistencyTable(in.concepts()));
        }

        if (in.labels() != null) {
            addLabelSections(page, in.labels());
        }

        if (in.gallery() != null && !in.panels().isEmpty()) {
            page.concepts("Top concepts and their top-activating inputs",
                    "The most important concepts by aggregated energy (and any asked for by id). For each, the inputs "
                            + "with the highest mean activation averaged over the models, and for each model where on the "
                            + "input the concept fires (paper Fig. 4).",
                    in.panels(), in.gallery());
        }
        if (!in.camRows().isEmpty()) {
            page.images(in.camHeading(), in.camHowToRead(), in.camRows());
        }
        return page;
    }

    private static String cfpChart(ConceptStats stats, int ranks) {
        int n = Math.min(ranks, stats.numConcepts());
        List<LineChart.Series> series = new ArrayList<>();
        for (int i = 0; i < stats.numModels(); i++) {
            double[] rx = new double[n];
            double[] ry = new double[n];
            for (int r = 0; r < n; r++) {
                rx[r] = r + 1;
                ry[r] = stats.coFireProportion()[i][stats.energyRank()[r]];
            }
            series.add(new LineChart.Series(stats.names().get(i), rx, ry));
        }
        return LineChart.svg(series, false, "energy rank", "co-fire proportion");
    }

    private static String deadChart(ConceptStats stats) {
        String[] names = stats.names().toArray(String[]::new);
        double[] raw = new double[names.length];
        double[] tau = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            raw[i] = 100 * stats.deadRawFraction(i);
            tau[i] = 100 * stats.deadThresholdFraction(i);
        }
        return BarChart.svg(names, List.of(new BarChart.Series("never > 0", raw),
                new BarChart.Series("never > τ = " + fmt(stats.threshold()), tau)), "model", "dead concepts (%)");
    }

    private static HtmlTable selectionTable(ConceptAnalysisResult concepts, String[] names) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("universal (all models)", concepts.selection().universal().length,
                ids(concepts.selection().universal())));
        for (int i = 0; i < names.length; i++) {
            int[] u = concepts.selection().uniqueByModel().get(i);
            rows.add(List.of("unique to " + names[i], u.length, ids(u)));
        }
        rows.add(List.of("universal (all models), by trace", concepts.traceSelection().universal().length,
                ids(concepts.traceSelection().universal())));
        for (int i = 0; i < names.length; i++) {
            int[] u = concepts.traceSelection().uniqueByModel().get(i);
            rows.add(List.of("unique to " + names[i] + ", by trace", u.length, ids(u)));
        }
        return new HtmlTable(List.of("group", "concepts", "ids (by energy)"), rows);
    }

    /** Paper Fig. 7 (right): the fraction of concepts whose matched cosine exceeds t, per model, and its random baseline. */
    private static String consistencyChart(List<ConsistencyResult> results) {
        List<LineChart.Series> series = new ArrayList<>();
        for (ConsistencyResult r : results) {
            series.add(matchedFraction(r.model(), r.matchedCosine()));
        }
        return LineChart.svg(series, false, "cosine threshold t", "fraction of concepts matched with cosine > t");
    }

    static LineChart.Series matchedFraction(String name, double[] cosines) {
        int steps = 100;
        double[] t = new double[steps + 1];
        double[] frac = new double[steps + 1];
        for (int q = 0; q <= steps; q++) {
            t[q] = (double) q / steps;
            long above = 0;
            for (double c : cosines) {
                if (c > t[q]) {
                    above++;
                }
            }
            frac[q] = cosines.length == 0 ? Double.NaN : (double) above / cosines.length;
        }
        return new LineChart.Series(name, t, frac);
    }

    private static HtmlTable consistencyTable(ConceptAnalysisResult concepts) {
        List<List<Object>> rows = new ArrayList<>();
        addConsistencyRows(rows, "all", concepts.consistency());
        addConsistencyRows(rows, "top co-firing", concepts.consistencyTopCoFiring());
        return new HtmlTable(List.of("model", "concepts", "compared", "fraction > threshold", "AUC", "random: fraction",
                "random: AUC"), rows);
    }

    private static void addConsistencyRows(List<List<Object>> rows, String which, List<ConsistencyResult> results) {
        for (ConsistencyResult r : results) {
            rows.add(List.of(r.model(), which, r.distribution().count(), r.distribution().fractionAbove(), r.distribution().auc(), r.randomBaseline().fractionAbove(),
                    r.randomBaseline().auc()));
        }
    }

    private static void addLabelSections(HtmlReport page, LabelAnalysisResult labels) {
        List<List<Object>> probeRows = new ArrayList<>();
        for (LinearProbe1D.StreamResult s : labels.probe()) {
            probeRows.add(List.of(s.stream(), s.tasks().size(), s.skipped().size(), s.meanTestLogLoss(), s.meanAccuracy(),
                    s.meanAuc()));
        }
        page.table("1-D logistic probes",
                "SPARC's concept-recovery probe: per label with enough positive inputs, a balanced 70/15/15 "
                        + "split, the 20 latents that co-activate most with the label as candidates, one logistic regression "
                        + "per candidate on that single latent (Tribuo), the best on validation scored on test. Mean test "
                        + "log-loss: lower is better, chance is ln 2 = 0.693. Inputs are pooled over their tokens ("
                        + labels.pooling().name().toLowerCase(Locale.ROOT) + ").",
                new HtmlTable(List.of("model", "tasks", "skipped", "mean test log-loss", "mean accuracy", "mean AUC"),
                        probeRows),
                probeNote(labels));
        List<List<Object>> alignRows = new ArrayList<>();
        for (ConceptAlignment.DepthJaccard d : labels.alignment().depths()) {
            alignRows.add(List.of(d.depth(), d.buckets(), d.meanJaccard()));
        }
        page.table("Concept alignment (SPARC weighted Jaccard)",
                "For every latent, the label histograms of the inputs it fires on in each model, compared pairwise with "
                        + "the weighted Jaccard and averaged over all latents (0 for latents alive in fewer than two models), "
                        + "after collapsing labels to each depth of the hierarchy (" + labels.hierarchy() + "). "
                        + labels.alignment().latentsActiveInTwoOrMore() + " of " + labels.numLatents()
                        + " latents are alive in two or more models. Higher is better.",
                new HtmlTable(List.of("depth", "label buckets", "mean Jaccard"), alignRows));
        List<List<Object>> purityRows = new ArrayList<>();
        for (LabelPurity.StreamPurity p : labels.purity().streams()) {
            purityRows.add(List.of(p.stream(), p.liveLatents(), p.meanPurity()));
        }
        purityRows.add(List.of("mean over models", "", labels.purity().meanOverStreams()));
        page.table("Label purity",
                "For each live latent, the share of its activating inputs that carry its most frequent label, averaged "
                        + "over latents (" + describe(labels.purity().options()) + "). 1 = every latent is about "
                        + "one label.",
                new HtmlTable(List.of("model", "live latents", "mean purity"), purityRows),
                purityNote(labels));
    }

    /** @return why the probe table holds no result, or null when some model has a probe task. */
    private static String probeNote(LabelAnalysisResult labels) {
        if (labels.probe().stream().anyMatch(p -> !p.tasks().isEmpty())) {
            return null;
        }
        boolean noneQualified = labels.probe().stream().allMatch(p -> p.skipped().isEmpty());
        return "No probe task on these rows: " + (noneQualified
                ? "no label is carried by more than the probe's minimum of positive inputs among the "
                + labels.labelledInputs() + " labelled inputs"
                : "every label with enough positive inputs was skipped (see the skipped column)")
                + ", so there are no means to show.";
    }

    /** @return why the purity table holds no result, or null when some model has a live latent. */
    private static String purityNote(LabelAnalysisResult labels) {
        return labels.purity().streams().stream().allMatch(p -> p.liveLatents() == 0)
                ? "No latent fires on any of the " + labels.labelledInputs() + " labelled inputs of these rows, so "
                + "there is no purity to average."
                : null;
    }

    private static String describe(LabelPurity.Options o) {
        return (o.topN() > 0 ? "top " + o.topN() + " inputs per latent" : "every input with a non-zero activation")
                + ", dead latents " + o.dead().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String ids(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int q = 0; q < Math.min(20, ids.length); q++) {
            sb.append(q == 0 ? "" : ", ").append(ids[q]);
        }
        return ids.length > 20 ? sb + ", …" : sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
