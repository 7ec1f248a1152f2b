package org.tribuo.usae.sae;

/** How the dictionary rows (one per latent, {@code [m x d]}) are kept at unit norm. */
public enum DictionaryConstraint {
    /** Official USAE: rows divided by (||row|| + 1e-8) on every forward; gradient flows through it. */
    ROW_NORMALIZED,
    /**
     * SPARC: rows used as stored; after backward they are renormalised and the gradient component
     * parallel to each row is projected out before the optimiser step.
     */
    UNIT_NORM_PROJECTED
}
