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
 */
public record Architecture(int numLatents, int k, EncoderKind encoder, SparsityKind sparsity,
                           boolean decoderBias, DictionaryConstraint dictionary, int sharedK)
        implements java.io.Serializable {
    public Architecture {
        if (numLatents < 1) {
            throw new IllegalArgumentException("numLatents must be >= 1, got " + numLatents);
        }
        if (k < 1 || k > numLatents) {
            throw new IllegalArgumentException("k must be in [1, numLatents=" + numLatents + "], got " + k);
        }
        if (sparsity == SparsityKind.HYBRID_TOPK ? sharedK < 1 || sharedK >= k : sharedK != 0) {
            throw new IllegalArgumentException("sharedK must be in [1, k=" + k + ") for HYBRID_TOPK and 0 for " + sparsity
                    + ", got " + sharedK);
        }
    }

    /** An architecture without shared slots (TOPK or GLOBAL_TOPK). */
    public Architecture(int numLatents, int k, EncoderKind encoder, SparsityKind sparsity, boolean decoderBias,
                        DictionaryConstraint dictionary) {
        this(numLatents, k, encoder, sparsity, decoderBias, dictionary, 0);
    }

    /**
     * The record's text, with {@code sharedK} only where it is used: the resolved settings text (checkpoints' run
     * identity) of every architecture without shared slots stays as it was before HYBRID_TOPK existed.
     */
    @Override
    public String toString() {
        return "Architecture[numLatents=" + numLatents + ", k=" + k + ", encoder=" + encoder + ", sparsity=" + sparsity
                + ", decoderBias=" + decoderBias + ", dictionary=" + dictionary
                + (sharedK == 0 ? "" : ", sharedK=" + sharedK) + "]";
    }

    /** @return the sparsity block that chooses each row's active latents. */
    public Sparsity sparsityBlock() {
        return sparsity.block(sharedK);
    }

    /** True when a model has a bias vector of its own width (pre-bias and/or decoder bias). */
    public boolean hasInputBias() {
        return encoder == EncoderKind.AFFINE || decoderBias;
    }
}
