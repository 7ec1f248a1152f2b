package org.tribuo.usae.synth;

/**
 * One labelling rule's universal / unique labels against the hard suite's truth ({@link HardRecovery}); per-model
 * arrays are in model order, NaN where a denominator is 0.
 *
 * @param universalPrecision of the latents called universal, those truly shared.
 * @param universalRecall    of the truly shared latents, those called universal.
 * @param uniquePrecision    per model, of the latents called unique to it, those truly exclusive to it.
 * @param uniqueRecall       per model, of the latents truly exclusive to it, those called unique to it.
 * @param labelledUniversal  latents called universal.
 * @param labelledUnique     per model, latents called unique to it.
 */
public record LabelScores(double universalPrecision, double universalRecall, double[] uniquePrecision,
                          double[] uniqueRecall, int labelledUniversal, int[] labelledUnique) {
}
