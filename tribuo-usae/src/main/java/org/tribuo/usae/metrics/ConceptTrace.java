package org.tribuo.usae.metrics;

import java.util.List;

/**
 * How far each concept moves the other models' activations when it fires (docs/metrics.md, "Concept traces").
 * M = number of models, m = number of concepts.
 *
 * <p>The trace of concept k from source model s into target model t is
 * {@code (mean over the tokens where z^(s)_k > τ of <x_t, D^(t)_k>  -  <μ_t, D^(t)_k>) / σ_t(D^(t)_k)}: how many
 * standard deviations model t's standardised activations {@code x_t} move along the concept's model-t decoder
 * direction on the tokens where model s fires the concept, against all tokens ({@code μ_t} the mean,
 * {@code σ_t(u)² = u^T Σ_t u} with {@code Σ_t} the covariance of {@code x_t}). A concept shared by the models moves
 * every model along its direction there (traces of several standard deviations); a concept only model s holds
 * leaves the others unmoved (traces near 0), whatever its decoder in them learned. Firing alone cannot tell these
 * apart when the models' encoders route a concept to different latents or miss it, which per-model TopK does.
 *
 * @param names       model names, {@code [M]}.
 * @param numConcepts m.
 * @param threshold   τ.
 * @param fires       {@code [M][m]} tokens where the source model's code is {@code > τ}.
 * @param sums        {@code [M source][M target][m]} sums of {@code <x_t, D^(t)_k>} over the source's firing tokens.
 * @param baseline    {@code [M target][m]} {@code <μ_t, D^(t)_k>}.
 * @param spread      {@code [M target][m]} {@code σ_t(D^(t)_k)} (0 for a zero decoder row).
 */
public record ConceptTrace(List<String> names, int numConcepts, double threshold, long[][] fires, double[][][] sums,
                           double[][] baseline, double[][] spread) {

    /** @return M. */
    public int numModels() {
        return names.size();
    }

    /**
     * @param source  the model whose firing selects the tokens.
     * @param target  the model whose activations move.
     * @param concept the concept.
     * @return the trace in standard deviations; NaN when the source never fires the concept or the target's
     *     activations do not vary along its direction.
     */
    public double trace(int source, int target, int concept) {
        long n = fires[source][concept];
        double sd = spread[target][concept];
        if (n == 0 || !(sd > 0)) {
            return Double.NaN;
        }
        return (sums[source][target][concept] / n - baseline[target][concept]) / sd;
    }

    /**
     * @param target  the model whose activations move.
     * @param concept the concept.
     * @return the trace into {@code target} over the tokens where any OTHER model fires the concept (their firing
     *     tokens pooled); NaN when none does.
     */
    public double traceFromOthers(int target, int concept) {
        long n = 0;
        double sum = 0;
        for (int s = 0; s < numModels(); s++) {
            if (s != target) {
                n += fires[s][concept];
                sum += sums[s][target][concept];
            }
        }
        double sd = spread[target][concept];
        if (n == 0 || !(sd > 0)) {
            return Double.NaN;
        }
        return (sum / n - baseline[target][concept]) / sd;
    }

    /**
     * @param target  a model.
     * @param concept the concept.
     * @return tokens where a model other than {@code target} fires the concept.
     */
    public long firesOfOthers(int target, int concept) {
        long n = 0;
        for (int s = 0; s < numModels(); s++) {
            n += s != target ? fires[s][concept] : 0;
        }
        return n;
    }
}
