package org.tribuo.usae.sae;

/**
 * How the dictionary rows (one per latent, {@code [m x d]}) are kept at unit norm: the name under which each
 * {@link DictionaryNormalization} block is recorded (trainer options, model files).
 */
public enum DictionaryConstraint {
    /** Official USAE: rows divided by (||row|| + 1e-8) on every forward; gradient flows through it. */
    ROW_NORMALIZED(RowNormalizedDictionary.INSTANCE),
    /**
     * SPARC: rows used as stored; after backward they are renormalised and the gradient component
     * parallel to each row is projected out before the optimiser step.
     */
    UNIT_NORM_PROJECTED(ProjectedUnitDictionary.INSTANCE);

    private final DictionaryNormalization normalization;

    DictionaryConstraint(DictionaryNormalization normalization) {
        this.normalization = normalization;
    }

    /** @return the block of this name. */
    public DictionaryNormalization normalization() {
        return normalization;
    }
}
