package org.tribuo.usae.sae;

/**
 * A building block: how a decoder's dictionary rows are kept at unit norm. It maps the stored dictionary
 * {@code W [m x d]} to the decoder the forward pass uses, maps a gradient with respect to that decoder back to
 * {@code W}, and may adjust {@code W} and its gradient before the optimiser step. Each has a float32 path and a
 * double reference path; the engine-parity and finite-difference tests run both through every recipe.
 * {@link DictionaryConstraint} names the blocks in options and files.
 */
public interface DictionaryNormalization {
    /**
     * @param w   {@code [m x d]} the stored dictionary.
     * @param m   rows.
     * @param d   width.
     * @param out {@code [m x d]} scratch the block may fill.
     * @return the {@code [m x d]} decoder of the forward pass: {@code out}, or {@code w} itself.
     */
    float[] decoder(float[] w, int m, int d, float[] out);

    /**
     * @param w           {@code [m x d]} the stored dictionary.
     * @param m           rows.
     * @param d           width.
     * @param gradDecoder {@code [m x d]} dL/d(decoder).
     * @param out         {@code [m x d]} receives dL/dW (overwritten).
     * @return {@code out}.
     */
    float[] gradient(float[] w, int m, int d, float[] gradDecoder, float[] out);

    /**
     * Adjusts the dictionary and its gradient just before the optimiser step (a no-op for most blocks).
     * @param w {@code [m x d]} the stored dictionary, changed in place.
     * @param g {@code [m x d]} its gradient, changed in place.
     * @param m rows.
     * @param d width.
     */
    void beforeUpdate(float[] w, float[] g, int m, int d);

    /** The reference of {@link #decoder}: a new array, or {@code w} itself. */
    double[] referenceDecoder(double[] w, int m, int d);

    /** The reference of {@link #gradient}: a new array, or {@code gradDecoder} itself. */
    double[] referenceGradient(double[] w, int m, int d, double[] gradDecoder);

    /**
     * @param w {@code [m x d]} the stored dictionary.
     * @param m rows.
     * @param d width.
     * @return a new {@code [m x d]} array: the rows exactly as the forward pass uses them.
     */
    default float[] forwardRows(float[] w, int m, int d) {
        float[] out = new float[w.length];
        float[] used = decoder(w, m, d, out);
        return used == out ? out : used.clone();
    }
}
