package org.tribuo.usae.sae;

/**
 * The name under which each {@link Encoder} block is recorded (trainer options, model files); the behaviour is the
 * block's ({@link #block()}).
 */
public enum EncoderKind {
    /** Official USAE: Linear then BatchNorm1d (PyTorch train/eval semantics), then ReLU ({@link BatchNormEncoder}). */
    BATCHNORM(BatchNormEncoder.INSTANCE),
    /** Paper Eq. 3 / SPARC: Linear on (x - preBias) plus latent bias, then ReLU ({@link AffineEncoder}). */
    AFFINE(AffineEncoder.INSTANCE);

    private final Encoder block;

    EncoderKind(Encoder block) {
        this.block = block;
    }

    /** @return the block of this name. */
    public Encoder block() {
        return block;
    }
}
