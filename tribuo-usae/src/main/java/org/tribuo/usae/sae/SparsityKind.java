package org.tribuo.usae.sae;

/**
 * The name under which each {@link Sparsity} block is recorded (trainer options, model files); the behaviour is the
 * block's, as Tribuo's {@code DistanceType} names {@code org.tribuo.math.distance.Distance} objects.
 */
public enum SparsityKind {
    /** Each encoder keeps the k largest entries of its own ReLU pre-activations (official USAE). */
    TOPK(sharedK -> TopKSparsity.INSTANCE),
    /**
     * SPARC: indices are the TopK of the pre-activations summed over all models, shared by every
     * model; values are each model's own ReLU pre-activation at those indices. Needs every model's
     * activations of the row, so training encodes all models every step.
     */
    GLOBAL_TOPK(sharedK -> GlobalTopKSparsity.INSTANCE),
    /**
     * Global TopK for {@link Architecture#sharedK()} slots, then each model's own TopK for the other
     * {@code k - sharedK}: slots {@code [0, sharedK)} hold the TopK of the summed pre-activations (shared by
     * every model, as GLOBAL_TOPK), slots {@code [sharedK, k)} the TopK of the model's own ReLU pre-activations
     * among the remaining latents (as TOPK). Shared concepts fire together in every model; a model still has
     * slots for what only it encodes. Needs every model's activations of the row, like GLOBAL_TOPK.
     */
    HYBRID_TOPK(HybridTopKSparsity::new);

    private final java.util.function.IntFunction<Sparsity> block;

    SparsityKind(java.util.function.IntFunction<Sparsity> block) {
        this.block = block;
    }

    /**
     * @param sharedK {@link Architecture#sharedK()} (used by HYBRID_TOPK only).
     * @return the block of this name.
     */
    public Sparsity block(int sharedK) {
        return block.apply(sharedK);
    }

    /** @return whether a row's latents are chosen from every model's pre-activations together. */
    public boolean joint() {
        return block(1).joint();
    }
}
