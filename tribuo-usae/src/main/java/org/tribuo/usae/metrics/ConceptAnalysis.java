package org.tribuo.usae.metrics;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.model.UsaeModel;

import java.util.List;

/**
 * The paper's concept analyses in one call (docs/metrics.md, "Concepts"): energy and its ranking, firing,
 * co-firing, firing entropy, co-fire proportions, dead concepts, the co-fire vs energy fit, unique and
 * universal concepts, and (when independent SAEs are given) dictionary consistency with its random
 * baseline, for all concepts and for the top co-firing ones (Fig. 16).
 *
 * <p>Codes: each model encodes ITS OWN activations of the same tokens, as the official analysis does
 * ({@code SAEAnalyzer} runs each model's SAE on that model's activations; {@code ActivationAnalyzer} then
 * ANDs the thresholded codes token by token). For a per-model TopK USAE that is {@link UsaeModel#encode}
 * per model. A global-TopK (SPARC-style) model selects its latents from the sum of every model's
 * pre-activations, so one model's codes depend on the others' activations of that token; there we use
 * {@link UsaeModel#encodeJoint}, which still feeds each encoder its own activations and gives the codes the
 * model was trained with (encoding a model alone would be a different model). Rows are read in contiguous
 * batches of {@code batchSize}, as {@link ModelEvaluation} does.
 */
public final class ConceptAnalysis {
    private ConceptAnalysis() {
    }

    /**
     * @param threshold         τ: a concept fires when its code is {@code > τ} (official 0.1).
     * @param minCoFiresForFit  the second co-fire vs energy fit keeps concepts with at least this many
     *                          co-fires (paper: 1000).
     * @param universality      unique / universal thresholds of the paper's firing rule.
     * @param traceCriteria     unique / universal thresholds of the trace rule ({@link TraceSelection}).
     * @param independentModels per USAE model (model order) an independent M = 1 SAE for the consistency
     *                          analysis (see {@link org.tribuo.usae.train.IndependentBaselines}); empty to skip it.
     * @param topCoFiring       also compare only the this-many most co-firing concepts (paper Fig. 16: 1000);
     *                          0 to skip.
     * @param consistency       match threshold, histogram bins and random-baseline seed.
     */
    public record Options(double threshold, long minCoFiresForFit, UniversalityCriteria universality,
                          TraceCriteria traceCriteria, List<UsaeModel> independentModels, int topCoFiring,
                          DictionaryConsistency.Options consistency) {
        /** τ = 0.1, fit subset >= 1000 co-fires, default criteria, no baselines, top 1000, default consistency. */
        public static final Options DEFAULT = new Options(ConceptStatsAccumulator.DEFAULT_THRESHOLD, 1000,
                UniversalityCriteria.DEFAULT, TraceCriteria.DEFAULT, List.of(), 1000, DictionaryConsistency.Options.DEFAULT);

        public Options {
            independentModels = List.copyOf(independentModels);
            if (topCoFiring < 0) {
                throw new IllegalArgumentException("topCoFiring must be >= 0 (0 = skip), got " + topCoFiring);
            }
            if (minCoFiresForFit < 1) {
                throw new IllegalArgumentException("minCoFiresForFit must be >= 1, got " + minCoFiresForFit);
            }
        }

        /** @param models independent SAEs, one per USAE model. @return a copy with them. */
        public Options withIndependentModels(List<UsaeModel> models) {
            return new Options(threshold, minCoFiresForFit, universality, traceCriteria, models, topCoFiring, consistency);
        }

        /** @param tau τ. @return a copy with another threshold. */
        public Options withThreshold(double tau) {
            return new Options(tau, minCoFiresForFit, universality, traceCriteria, independentModels, topCoFiring, consistency);
        }

        /** @param criteria criteria. @return a copy with other unique / universal thresholds. */
        public Options withUniversality(UniversalityCriteria criteria) {
            return new Options(threshold, minCoFiresForFit, criteria, traceCriteria, independentModels, topCoFiring, consistency);
        }

        /** @param criteria criteria. @return a copy with other trace thresholds. */
        public Options withTraceCriteria(TraceCriteria criteria) {
            return new Options(threshold, minCoFiresForFit, universality, criteria, independentModels, topCoFiring,
                    consistency);
        }

        /** @param n concepts (0: skip). @return a copy with another top-co-firing subset size. */
        public Options withTopCoFiring(int n) {
            return new Options(threshold, minCoFiresForFit, universality, traceCriteria, independentModels, n, consistency);
        }

        /** @param n co-fires. @return a copy with another minimum for the second fit. */
        public Options withMinCoFiresForFit(long n) {
            return new Options(threshold, n, universality, traceCriteria, independentModels, topCoFiring, consistency);
        }
    }

    /**
     * @param model     the USAE.
     * @param set       activations holding the model's models (matched by name, widths checked).
     * @param from      first row (inclusive).
     * @param to        last row (exclusive).
     * @param batchSize rows per batch (energy is averaged over batches).
     * @param options   options.
     * @return the analysis.
     */
    public static ConceptAnalysisResult run(UsaeModel model, ActivationSet set, long from, long to, int batchSize,
                                            Options options) {
        ConceptStatsAccumulator acc = ConceptStatsAccumulator.forModel(model, options.threshold());
        ConceptTraceAccumulator traces = ConceptTraceAccumulator.forModel(model, options.threshold());
        new ModelRows(model, set).forEachBatch(from, to, batchSize, (start, rows, raw, codes) -> {
            acc.add(codes);
            traces.add(model.standardizeAll(raw), codes);
        });
        ConceptStats stats = acc.result();
        ConceptSelection selection = ConceptSelection.select(stats, options.universality());
        ConceptTrace trace = traces.result();
        TraceSelection traceSelection = TraceSelection.select(trace, stats.energyRank(), options.traceCriteria());
        List<ConsistencyResult> all = List.of();
        List<ConsistencyResult> top = List.of();
        if (!options.independentModels().isEmpty()) {
            all = DictionaryConsistency.compare(model, options.independentModels(), null, options.consistency());
            if (options.topCoFiring() > 0) {
                top = DictionaryConsistency.compare(model, options.independentModels(),
                        stats.topCoFiring(options.topCoFiring()), options.consistency());
            }
        }
        return new ConceptAnalysisResult(from, to, batchSize, stats, stats.coFireEnergyFit(1),
                stats.coFireEnergyFit(options.minCoFiresForFit()), selection, trace, traceSelection, all, top);
    }
}
