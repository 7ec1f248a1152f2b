package org.tribuo.usae.metrics.labels;

/**
 * Settings of {@link LabelAnalysis}.
 *
 * @param pooling how an input's token codes are pooled (MAX default).
 * @param probe   the 1-D probe's settings.
 * @param purity  label purity's settings.
 */
public record LabelAnalysisOptions(Pooling pooling, ProbeOptions probe, LabelPurity.Options purity) {
    public LabelAnalysisOptions {
        if (pooling == null || probe == null || purity == null) {
            throw new IllegalArgumentException("pooling, probe and purity options are required, got " + pooling + ", "
                    + probe + ", " + purity);
        }
    }

    /** @return MAX pooling, SPARC's probe settings, purity over all activating inputs of live latents. */
    public static LabelAnalysisOptions defaults() {
        return new LabelAnalysisOptions(Pooling.MAX, ProbeOptions.defaults(), LabelPurity.Options.defaults());
    }

    /** @param p probe options. @return a copy. */
    public LabelAnalysisOptions withProbe(ProbeOptions p) {
        return new LabelAnalysisOptions(pooling, p, purity);
    }
}
