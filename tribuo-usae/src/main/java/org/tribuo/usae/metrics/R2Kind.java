package org.tribuo.usae.metrics;

/** Which reconstruction score an {@link R2Matrix} entry holds (docs/metrics.md, "Reconstruction"). */
public enum R2Kind {
    /** The official code's R²: per batch, one scalar mean, +1e-6 in the denominator, averaged over batches. */
    OFFICIAL,
    /** sklearn {@code multioutput="variance_weighted"}: 1 − Σ SSE / Σ SST with per-column means. */
    VARIANCE_WEIGHTED,
    /** sklearn {@code multioutput="uniform_average"}: mean over columns of the per-column R². */
    UNIFORM_AVERAGE,
    /** Mean squared error over every element (not an R²; lower is better). */
    MSE
}
