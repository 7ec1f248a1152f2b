package org.tribuo.usae.sae;

/**
 * What a trained USAE needs at inference: the latent count, the sparsity and the shape of each
 * encoder and decoder.
 *
 * @param numLatents   m, the size of the shared concept dictionary.
 * @param k            active latents per row.
 * @param encoder      the encoder kind.
 * @param sparsity     per-model TopK or SPARC's global TopK.
 * @param decoderBias  whether each decoder adds a learned bias (tied to the pre-bias for AFFINE).
 * @param dictionary   how dictionary rows are kept at unit norm.
 * @param sharedK      HYBRID_TOPK's globally chosen slots of the k ({@code 1 <= sharedK < k}); 0 otherwise.
 * @param maxRowSlots  BATCH_TOPK's most active latents in one row, the codes' width ({@code k <= maxRowSlots <= m});
 *                     0 otherwise (codes are then k wide).
 */
public record Architecture(int numLatents, int k, EncoderKind encoder, SparsityKind sparsity,
                           boolean decoderBias, DictionaryConstraint dictionary, int sharedK, int maxRowSlots)
        implements java.io.Serializable {
    public Architecture {
        if (numLatents < 1) {
            throw new IllegalArgumentException("numLatents must be >= 1, got " + numLatents);
        }
        if (k < 1 || k > numLatents) {
            throw new IllegalArgumentException("k must be in [1, numLatents=" + numLatents + "], got " + k);
        }
        if (sparsity.sharedSlots() ? sharedK < 1 || sharedK >= k : sharedK != 0) {
            throw new IllegalArgumentException("sharedK must be in [1, k=" + k + ") for HYBRID_TOPK and 0 for " + sparsity
                    + ", got " + sharedK);
        }
        if (sparsity.rowCap() ? maxRowSlots < k || maxRowSlots > numLatents : maxRowSlots != 0) {
            throw new IllegalArgumentException("maxRowSlots must be in [k=" + k + ", numLatents=" + numLatents
                    + "] for BATCH_TOPK and 0 for " + sparsity + ", got " + maxRowSlots);
        }
    }

    /** An architecture without BATCH_TOPK's row cap. */
    public Architecture(int numLatents, int k, EncoderKind encoder, SparsityKind sparsity, boolean decoderBias,
                        DictionaryConstraint dictionary, int sharedK) {
        this(numLatents, k, encoder, sparsity, decoderBias, dictionary, sharedK, 0);
    }

    /** An architecture without shared slots (TOPK or GLOBAL_TOPK). */
    public Architecture(int numLatents, int k, EncoderKind encoder, SparsityKind sparsity, boolean decoderBias,
                        DictionaryConstraint dictionary) {
        this(numLatents, k, encoder, sparsity, decoderBias, dictionary, 0, 0);
    }

    /**
     * The record's text, with {@code sharedK} and {@code maxRowSlots} only where they are used: the resolved
     * settings text (checkpoints' run identity) of the other architectures stays as it was before they existed.
     */
    @Override
    public String toString() {
        return "Architecture[numLatents=" + numLatents + ", k=" + k + ", encoder=" + encoder + ", sparsity=" + sparsity
                + ", decoderBias=" + decoderBias + ", dictionary=" + dictionary
                + (sharedK == 0 ? "" : ", sharedK=" + sharedK) + (maxRowSlots == 0 ? "" : ", maxRowSlots=" + maxRowSlots)
                + "]";
    }

    /** @return the sparsity block that chooses each row's active latents. */
    public Sparsity sparsityBlock() {
        return sparsity.block(this);
    }

    /** @return the codes' width per row: {@code maxRowSlots} for BATCH_TOPK, else k. */
    public int slots() {
        return maxRowSlots == 0 ? k : maxRowSlots;
    }

    /** @return the encoder block. */
    public Encoder encoderBlock() {
        return encoder.block();
    }

    /** True when a model has a bias vector of its own width (pre-bias and/or decoder bias). */
    public boolean hasInputBias() {
        return encoder.block().subtractsInputBias() || decoderBias;
    }
}
