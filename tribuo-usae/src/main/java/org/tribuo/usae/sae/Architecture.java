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
 */
public record Architecture(int numLatents, int k, EncoderKind encoder, SparsityKind sparsity,
                           boolean decoderBias, DictionaryConstraint dictionary) implements java.io.Serializable {
    public Architecture {
        if (numLatents < 1) {
            throw new IllegalArgumentException("numLatents must be >= 1, got " + numLatents);
        }
        if (k < 1 || k > numLatents) {
            throw new IllegalArgumentException("k must be in [1, numLatents=" + numLatents + "], got " + k);
        }
    }

    /** True when a model has a bias vector of its own width (pre-bias and/or decoder bias). */
    public boolean hasInputBias() {
        return encoder == EncoderKind.AFFINE || decoderBias;
    }
}
