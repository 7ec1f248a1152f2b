package org.tribuo.usae.synth;

/**
 * The hard suite's scores of one trained USAE ({@link HardRecovery}); per-model arrays are in model order.
 *
 * @param threshold          the cosine a recovery needs.
 * @param universal          shared concepts held by one latent in every model.
 * @param universalParents   of the parents.
 * @param universalChildren  of the children.
 * @param universalFree      of the free shared concepts.
 * @param perModelRecall     per model, shared concepts some latent holds.
 * @param perModelMeanCos    per model, the mean best cosine of the shared concepts.
 * @param exclusiveRecall    per model, exclusive concepts held by a latent silent in the other models.
 * @param deadEverywhere     latents never non-zero in any model on the held-out rows.
 * @param deadFraction       per model, latents never non-zero in it on the held-out rows.
 * @param mcc                per model, SynthSAEBench's MCC over its shared and exclusive concepts.
 * @param f1                 per model, SynthSAEBench's mean detector F1 over its firing latents.
 * @param firingLabels       the analysis's labels by the paper's co-firing rule against the truth.
 * @param traceLabels        the analysis's labels by the trace rule against the truth.
 * @param trulyShared        latents truly shared, by the labels' truth ({@link HardRecovery#LABEL_COSINE}).
 * @param trulyExclusive     per model, latents truly exclusive to it, by the labels' truth.
 */
public record HardRecoveryResult(double threshold, double universal, double universalParents,
                                 double universalChildren, double universalFree, double[] perModelRecall,
                                 double[] perModelMeanCos, double[] exclusiveRecall, double deadEverywhere,
                                 double[] deadFraction,
                                 double[] mcc, double[] f1, LabelScores firingLabels, LabelScores traceLabels,
                                 int trulyShared, int[] trulyExclusive) {
}
