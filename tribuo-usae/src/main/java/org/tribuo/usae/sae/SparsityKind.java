package org.tribuo.usae.sae;

/** How the k active latents of a row are chosen. */
public enum SparsityKind {
    /** Each encoder keeps the k largest entries of its own ReLU pre-activations (official USAE). */
    TOPK,
    /**
     * SPARC: indices are the TopK of the pre-activations summed over all models, shared by every
     * model; values are each model's own ReLU pre-activation at those indices. Needs every model's
     * activations of the row, so training encodes all models every step.
     */
    GLOBAL_TOPK
}
