package org.tribuo.usae.synth;

/**
 * Same-latent recovery of the planted shared concepts.
 *
 * @param threshold         cosine a concept needs in every model.
 * @param recoveredFraction fraction of shared concepts with {@code minCosine >= threshold}.
 * @param bestLatent        per concept, the latent j maximising {@code min_i cos(D_i[j], u_c^(i))},
 *                          {@code [concepts]}.
 * @param minCosine         per concept, that maximal minimum cosine, {@code [concepts]}.
 */
public record RecoveryResult(double threshold, double recoveredFraction, int[] bestLatent, double[] minCosine) {
    /** @param concept c. @return whether c was recovered. */
    public boolean recovered(int concept) {
        return minCosine[concept] >= threshold;
    }
}
