package org.tribuo.usae.synth;

/**
 * Diagnostic recovery where each model may use a different latent for a concept.
 *
 * @param threshold         cosine a concept needs.
 * @param bestLatent        {@code [M][concepts]}, per model the latent most aligned with the concept.
 * @param cosine            {@code [M][concepts]}, that cosine.
 * @param recoveredFraction {@code [M]}, per model the fraction of concepts with cosine {@code >= threshold}.
 */
public record PerModelRecovery(double threshold, int[][] bestLatent, double[][] cosine, double[] recoveredFraction) {
}
