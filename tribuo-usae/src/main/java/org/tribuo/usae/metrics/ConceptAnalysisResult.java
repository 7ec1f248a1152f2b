package org.tribuo.usae.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The result of {@link ConceptAnalysis#run}.
 *
 * @param from                   first row analysed.
 * @param to                     end row (exclusive).
 * @param batchSize              rows per batch.
 * @param stats                  energy, firing, co-firing, FE, CFP, dead concepts.
 * @param coFireEnergyFit        log-log fit over all concepts with co-fires (Fig. 6c).
 * @param frequentCoFireEnergyFit the same over concepts with at least {@code minCoFiresForFit} co-fires.
 * @param selection              unique and universal concepts by the paper's firing rule.
 * @param trace                  each concept's traces in the other models.
 * @param traceSelection         unique and universal concepts by their traces ({@link TraceSelection}).
 * @param consistency            per model, consistency with its independent SAE (empty without baselines).
 * @param consistencyTopCoFiring the same restricted to the top co-firing concepts (Fig. 16; may be empty).
 */
public record ConceptAnalysisResult(long from, long to, int batchSize, ConceptStats stats, LogLogFit coFireEnergyFit,
                                    LogLogFit frequentCoFireEnergyFit, ConceptSelection selection,
                                    ConceptTrace trace, TraceSelection traceSelection,
                                    List<ConsistencyResult> consistency, List<ConsistencyResult> consistencyTopCoFiring) {
    /** Value of the {@code format} field of {@link #toJson()}. */
    public static final String FORMAT = "tribuo-usae concept analysis 1";

    /**
     * JSON with these fields (stable names; per-concept arrays have m entries in concept-id order, per-model
     * maps are keyed by model name in model order; NaN is written as null):
     * <pre>
     * format, rows, from, to, batchSize, batches, threshold, numConcepts, models [M]
     * energy {perModel {name: [m]}, aggregated [m], rank [m]}     rank = concept ids by aggregated energy
     * nonZeroCounts {name: [m]}, fireCounts {name: [m]}, coFireCounts [m]
     * firingEntropy [m], coFireProportion {name: [m]}, meanCoFireProportion {name: x}, coFireIou [m]
     * dead {name: {raw, rawFraction, threshold, thresholdFraction}}
     * coFireVsEnergy {all, frequent}: each {minCoFires, concepts, pearson, slope, intercept}
     * selection {criteria {maxUniqueEntropy, minDominantShare, minUniqueFires, minUniversalCoFireProportion,
     *            minUniversalFires}, unique {name: [ids]}, universal [ids]}
     * traces {source name: {target name: [m]}}                    standard deviations; null where undefined
     * traceSelection {criteria {minTrace, minFires}, unique {name: [ids]}, universal [ids]}
     * consistency, consistencyTopCoFiring: [{model, concepts, matchedIndependent, matchedCosine,
     *            distribution, randomBaseline}], each distribution {count, threshold, fractionAbove, auc, mean,
     *            quantileLevels, quantiles, binEdges, histogram}
     * </pre>
     *
     * @return pretty-printed JSON.
     */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        List<String> names = stats.names();
        root.put("format", FORMAT);
        root.put("rows", stats.rows());
        root.put("from", from);
        root.put("to", to);
        root.put("batchSize", batchSize);
        root.put("batches", stats.batches());
        number(root, "threshold", stats.threshold());
        root.put("numConcepts", stats.numConcepts());
        ArrayNode models = root.putArray("models");
        names.forEach(models::add);
        ObjectNode energy = root.putObject("energy");
        ObjectNode perModel = energy.putObject("perModel");
        for (int i = 0; i < names.size(); i++) {
            doubles(perModel.putArray(names.get(i)), stats.energy()[i]);
        }
        doubles(energy.putArray("aggregated"), stats.energyAggregated());
        ints(energy.putArray("rank"), stats.energyRank());
        ObjectNode nonZero = root.putObject("nonZeroCounts");
        ObjectNode fires = root.putObject("fireCounts");
        for (int i = 0; i < names.size(); i++) {
            longs(nonZero.putArray(names.get(i)), stats.nonZeroCounts()[i]);
            longs(fires.putArray(names.get(i)), stats.fireCounts()[i]);
        }
        longs(root.putArray("coFireCounts"), stats.coFireCounts());
        doubles(root.putArray("firingEntropy"), stats.firingEntropy());
        ObjectNode cfp = root.putObject("coFireProportion");
        ObjectNode meanCfp = root.putObject("meanCoFireProportion");
        ObjectNode dead = root.putObject("dead");
        for (int i = 0; i < names.size(); i++) {
            doubles(cfp.putArray(names.get(i)), stats.coFireProportion()[i]);
            number(meanCfp, names.get(i), stats.meanCoFireProportion(i));
            ObjectNode d = dead.putObject(names.get(i));
            d.put("raw", stats.deadRaw()[i]);
            d.put("rawFraction", stats.deadRawFraction(i));
            d.put("threshold", stats.deadThreshold()[i]);
            d.put("thresholdFraction", stats.deadThresholdFraction(i));
        }
        doubles(root.putArray("coFireIou"), stats.coFireIou());
        ObjectNode fit = root.putObject("coFireVsEnergy");
        fit(fit.putObject("all"), coFireEnergyFit);
        fit(fit.putObject("frequent"), frequentCoFireEnergyFit);
        ObjectNode sel = root.putObject("selection");
        UniversalityCriteria c = selection.criteria();
        ObjectNode crit = sel.putObject("criteria");
        crit.put("maxUniqueEntropy", c.maxUniqueEntropy());
        crit.put("minDominantShare", c.minDominantShare());
        crit.put("minUniqueFires", c.minUniqueFires());
        crit.put("minUniversalCoFireProportion", c.minUniversalCoFireProportion());
        crit.put("minUniversalFires", c.minUniversalFires());
        ObjectNode unique = sel.putObject("unique");
        for (int i = 0; i < names.size(); i++) {
            ints(unique.putArray(names.get(i)), selection.uniqueByModel().get(i));
        }
        ints(sel.putArray("universal"), selection.universal());
        ObjectNode traces = root.putObject("traces");
        for (int i = 0; i < names.size(); i++) {
            ObjectNode from = traces.putObject(names.get(i));
            for (int t = 0; t < names.size(); t++) {
                ArrayNode a = from.putArray(names.get(t));
                for (int k = 0; k < stats.numConcepts(); k++) {
                    double v = trace.trace(i, t, k);
                    if (Double.isFinite(v)) {
                        a.add(v);
                    } else {
                        a.addNull();
                    }
                }
            }
        }
        ObjectNode traceSel = root.putObject("traceSelection");
        ObjectNode traceCrit = traceSel.putObject("criteria");
        traceCrit.put("minTrace", traceSelection.criteria().minTrace());
        traceCrit.put("minFires", traceSelection.criteria().minFires());
        ObjectNode traceUnique = traceSel.putObject("unique");
        for (int i = 0; i < names.size(); i++) {
            ints(traceUnique.putArray(names.get(i)), traceSelection.uniqueByModel().get(i));
        }
        ints(traceSel.putArray("universal"), traceSelection.universal());
        consistency(root.putArray("consistency"), consistency);
        consistency(root.putArray("consistencyTopCoFiring"), consistencyTopCoFiring);
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a short readable summary. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        List<String> names = stats.names();
        sb.append(String.format("Concept analysis of rows [%d, %d): %d tokens in %d batches, %d concepts, tau = %s%n",
                from, to, stats.rows(), stats.batches(), stats.numConcepts(), stats.threshold()));
        sb.append(String.format("  %-16s %10s %12s %12s %10s %10s%n", "model", "mean CFP", "dead (raw)", "dead (tau)",
                "unique", "by trace"));
        for (int i = 0; i < names.size(); i++) {
            sb.append(String.format("  %-16s %10.3f %11.1f%% %11.1f%% %10d %10d%n", names.get(i),
                    stats.meanCoFireProportion(i), 100 * stats.deadRawFraction(i), 100 * stats.deadThresholdFraction(i),
                    selection.uniqueByModel().get(i).length, traceSelection.uniqueByModel().get(i).length));
        }
        sb.append(String.format("  universal concepts: %d (by co-firing), %d (by trace)%n", selection.universal().length,
                traceSelection.universal().length));
        int[] rank = stats.energyRank();
        sb.append("  top concepts by energy:");
        for (int t = 0; t < Math.min(10, rank.length); t++) {
            int k = rank[t];
            sb.append(String.format(" %d (E %.3g, FE %.2f)", k, stats.energyAggregated()[k], stats.firingEntropy()[k]));
        }
        sb.append('\n');
        sb.append(String.format("  co-fires vs energy (log-log): r = %.3f, slope = %.3f over %d concepts; "
                        + "with >= %d co-fires r = %.3f over %d%n", coFireEnergyFit.pearson(), coFireEnergyFit.slope(),
                coFireEnergyFit.concepts(), (long) frequentCoFireEnergyFit.minX(), frequentCoFireEnergyFit.pearson(),
                frequentCoFireEnergyFit.concepts()));
        appendConsistency(sb, "consistency with independent SAEs", consistency);
        appendConsistency(sb, "same, top co-firing concepts", consistencyTopCoFiring);
        return sb.toString();
    }

    private static void appendConsistency(StringBuilder sb, String title, List<ConsistencyResult> results) {
        if (results.isEmpty()) {
            return;
        }
        sb.append("  ").append(title).append(":\n");
        for (ConsistencyResult r : results) {
            CosineDistribution d = r.distribution();
            CosineDistribution b = r.randomBaseline();
            sb.append(String.format("    %-16s %d concepts: cos > %.2f %5.1f%%  AUC %.3f  mean %.3f   random: %5.1f%%  AUC %.3f%n",
                    r.model(), d.count(), d.threshold(), 100 * d.fractionAbove(), d.auc(), d.mean(),
                    100 * b.fractionAbove(), b.auc()));
        }
    }

    private static void consistency(ArrayNode out, List<ConsistencyResult> results) {
        for (ConsistencyResult r : results) {
            ObjectNode n = out.addObject();
            n.put("model", r.model());
            ints(n.putArray("concepts"), r.concepts());
            ints(n.putArray("matchedIndependent"), r.matchedIndependent());
            doubles(n.putArray("matchedCosine"), r.matchedCosine());
            distribution(n.putObject("distribution"), r.distribution());
            distribution(n.putObject("randomBaseline"), r.randomBaseline());
        }
    }

    private static void distribution(ObjectNode n, CosineDistribution d) {
        n.put("count", d.count());
        number(n, "threshold", d.threshold());
        number(n, "fractionAbove", d.fractionAbove());
        number(n, "auc", d.auc());
        number(n, "mean", d.mean());
        doubles(n.putArray("quantileLevels"), d.quantileLevels());
        doubles(n.putArray("quantiles"), d.quantiles());
        doubles(n.putArray("binEdges"), d.binEdges());
        longs(n.putArray("histogram"), d.histogram());
    }

    private static void fit(ObjectNode n, LogLogFit f) {
        n.put("minCoFires", (long) f.minX());
        n.put("concepts", f.concepts());
        number(n, "pearson", f.pearson());
        number(n, "slope", f.slope());
        number(n, "intercept", f.intercept());
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
    }

    private static void longs(ArrayNode a, long[] v) {
        for (long x : v) {
            a.add(x);
        }
    }

    private static void ints(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }
}
