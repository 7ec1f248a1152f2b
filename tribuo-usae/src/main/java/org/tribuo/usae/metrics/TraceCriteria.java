package org.tribuo.usae.metrics;

/**
 * Thresholds that sort concepts into "universal" and "unique to one model" by their {@link ConceptTrace}s (docs/metrics.md,
 * "Concept traces"). The paper's rule ({@link UniversalityCriteria}) asks the models' codes to fire together; this
 * one asks whether the models' ACTIVATIONS carry the concept, so a concept that one model's encoder fires and another's
 * routes to a duplicate latent, or misses, is still found shared. The defaults were chosen on the hard planted suite
 * (BENCHMARKS.md): shared concepts' traces sit at 2-5 standard deviations and model-exclusive concepts' at 0 +- 0.3.
 *
 * @param minTrace  a concept is present in a model when its trace there is at least this (default 0.75), and absent
 *                  when the trace's magnitude is below it.
 * @param minFires  fires a model needs before its firing counts as evidence (default 10).
 */
public record TraceCriteria(double minTrace, long minFires) {
    /** The defaults above. */
    public static final TraceCriteria DEFAULT = new TraceCriteria(0.75, 10);

    public TraceCriteria {
        if (!(minTrace > 0) || Double.isInfinite(minTrace)) {
            throw new IllegalArgumentException("minTrace must be finite and > 0, got " + minTrace);
        }
        if (minFires < 1) {
            throw new IllegalArgumentException("minFires must be >= 1, got " + minFires);
        }
    }
}
