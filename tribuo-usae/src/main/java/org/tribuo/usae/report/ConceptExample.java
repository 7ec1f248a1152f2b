package org.tribuo.usae.report;

/**
 * One example input of a concept.
 *
 * @param inputId     the input (sentence, image) id from the set's row index.
 * @param score       mean over models of the input's mean token activation of the concept.
 * @param activations {@code [models x tokens]} the concept's activation at each token position,
 *                    per model (each model encodes its own rows); positions with no row (e.g. background
 *                    tokens an extraction left out) are NaN, in every model alike.
 */
public record ConceptExample(long inputId, double score, float[][] activations) {
    /** @return tokens per model row. */
    public int tokens() {
        return activations.length == 0 ? 0 : activations[0].length;
    }

    /** @return the largest activation over every model and token with a row (0 when all are 0). */
    public float max() {
        float m = 0;
        for (float[] row : activations) {
            for (float v : row) {
                if (v > m) {
                    m = v;
                }
            }
        }
        return m;
    }
}
