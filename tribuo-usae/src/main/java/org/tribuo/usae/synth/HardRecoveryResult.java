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
 * @param universalPrecision of the latents the analysis calls universal, those truly shared.
 * @param universalRecall    of the truly shared latents, those the analysis calls universal.
 * @param uniquePrecision    per model, of the latents the analysis calls unique to it, those truly exclusive to it.
 * @param uniqueRecall       per model, of the latents truly exclusive to it, those the analysis calls unique to it.
 * @param labelledUniversal  latents the analysis calls universal.
 * @param trulyShared        latents with cosine >= threshold to one shared concept in every model.
 */
public record HardRecoveryResult(double threshold, double universal, double universalParents,
                                 double universalChildren, double universalFree, double[] perModelRecall,
                                 double[] perModelMeanCos, double[] exclusiveRecall, double deadEverywhere,
                                 double[] deadFraction,
                                 double[] mcc, double[] f1, double universalPrecision, double universalRecall,
                                 double[] uniquePrecision, double[] uniqueRecall, int labelledUniversal,
                                 int trulyShared) {
}
