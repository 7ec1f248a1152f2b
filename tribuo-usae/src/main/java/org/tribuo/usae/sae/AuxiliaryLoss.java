package org.tribuo.usae.sae;

/**
 * An auxiliary loss that keeps latents alive: which extra latents each source's step decodes (its aux codes, chosen
 * from the source's pre-activations) and the term that scores them. The block holds its settings and what the FLOP
 * and memory models need; the engines run it through their kernel for the block's class (the CPU engine's
 * {@code CpuAuxTerms}, the reference engine's {@code RefAuxTerms}, the ORT graph's step emitters), so no engine asks
 * which loss it is. Named in options and model files by {@link AuxLossKind}.
 */
public interface AuxiliaryLoss {
    /**
     * @param numLatents m.
     * @return latents per row of its codes (0: it has none).
     */
    int slots(int numLatents);

    /**
     * @return whether a step reads and updates each model's dead-latent counters for it (fused engines then carry
     *     them as state).
     */
    default boolean keepsDeadCounters() {
        return false;
    }

    /** @return whether its codes fill enough of a row that engines decode them by dense row blocks. */
    default boolean denseCodes() {
        return false;
    }

    /**
     * The FLOPs one source's step spends on it beyond the reconstruction terms.
     * @param rows              rows N.
     * @param numLatents        m.
     * @param sourceDim         the source's width.
     * @param targetDims        the summed widths of the targets its source decodes into.
     * @param updatedTargetDims the summed widths of those the update rule moves.
     * @return the FLOPs, and whether the code gradient is dense (the encoder's backward is then a dense product).
     */
    Flops flops(double rows, double numLatents, double sourceDim, double targetDims, double updatedTargetDims);

    /**
     * @param rows    rows per step.
     * @param sumDims the summed widths of every model.
     * @param maxDim  the widest model.
     * @return float32 values a CPU step holds for its term, beyond its codes.
     */
    long scratchFloats(long rows, long sumDims, long maxDim);

    /** @return a short name for messages. */
    String label();

    /**
     * FLOPs of an auxiliary loss in one source's step.
     * @param dense             in dense products.
     * @param sparse            in gathers and scatters of sparse codes.
     * @param denseCodeGradient whether the code gradient is dense, so the encoder's backward is a dense product.
     */
    record Flops(double dense, double sparse, boolean denseCodeGradient) {
    }
}
