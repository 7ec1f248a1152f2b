package org.tribuo.usae.sae;

/**
 * The name under which each {@link Sparsity} block is recorded (trainer options, model files); the behaviour is the
 * block's, as Tribuo's {@code DistanceType} names {@code org.tribuo.math.distance.Distance} objects.
 */
public enum SparsityKind {
    /** Each encoder keeps the k largest entries of its own ReLU pre-activations (official USAE). */
    TOPK(false, false, false, arch -> TopKSparsity.INSTANCE),
    /**
     * SPARC: indices are the TopK of the pre-activations summed over all models, shared by every
     * model; values are each model's own ReLU pre-activation at those indices. Needs every model's
     * activations of the row, so training encodes all models every step.
     */
    GLOBAL_TOPK(true, false, false, arch -> GlobalTopKSparsity.INSTANCE),
    /**
     * Global TopK for {@link Architecture#sharedK()} slots, then each model's own TopK for the other
     * {@code k - sharedK}: slots {@code [0, sharedK)} hold the TopK of the summed pre-activations (shared by
     * every model, as GLOBAL_TOPK), slots {@code [sharedK, k)} the TopK of the model's own ReLU pre-activations
     * among the remaining latents (as TOPK). Shared concepts fire together in every model; a model still has
     * slots for what only it encodes. Needs every model's activations of the row, like GLOBAL_TOPK.
     */
    HYBRID_TOPK(true, true, false, arch -> new HybridTopKSparsity(arch.sharedK())),
    /**
     * BatchTopK: each model keeps the {@code rows x k} largest entries of its {@code relu(pre)} over the whole
     * batch (at most {@link Architecture#maxRowSlots()} per row), so k is the mean per row; at inference, the
     * entries above a per-model threshold estimated after training ({@link BatchTopKSparsity}).
     */
    BATCH_TOPK(false, false, true, arch -> new BatchTopKSparsity(arch.k()));

    private final boolean joint;
    private final boolean sharedSlots;
    private final boolean rowCap;
    private final java.util.function.Function<Architecture, Sparsity> block;

    SparsityKind(boolean joint, boolean sharedSlots, boolean rowCap,
                 java.util.function.Function<Architecture, Sparsity> block) {
        this.joint = joint;
        this.sharedSlots = sharedSlots;
        this.rowCap = rowCap;
        this.block = block;
    }

    /** @return whether the block takes {@link Architecture#sharedK()} (its globally chosen slots). */
    public boolean sharedSlots() {
        return sharedSlots;
    }

    /** @return whether the block takes {@link Architecture#maxRowSlots()} (rows of varying length, capped). */
    public boolean rowCap() {
        return rowCap;
    }

    /**
     * @param arch the architecture, whose settings the block takes.
     * @return the block of this name.
     */
    public Sparsity block(Architecture arch) {
        return block.apply(arch);
    }

    /**
     * @return whether a row's latents are chosen from every model's pre-activations together (the block's
     *     {@link Sparsity#joint()}, known before the architecture is: a trainer checks its options with it).
     */
    public boolean joint() {
        return joint;
    }
}
