package org.tribuo.usae.sae;

/** How a model's input bias (the AFFINE encoder's pre-bias, tied to the decoder bias) starts. */
public enum BiasInit {
    /** Zero (the default; SPARC's code). */
    ZERO(false),
    /**
     * Each column's mean over the standardised training rows (OpenAI's and SAELens' data-driven start): the
     * decoder reproduces the data's offset from step 0, so no latent is spent on it. Real CNN maps after a
     * ReLU have large per-channel means; from zero, the first latents to fire learn that offset and the
     * rest die (BENCHMARKS.md, "Real vision").
     */
    DATA_MEAN(true);

    // behaviour through a field, not a constant body (OLCUT records an enum option by its value's class)
    private final boolean fromData;

    BiasInit(boolean fromData) {
        this.fromData = fromData;
    }

    /** @return whether the bias starts at the data's column means (else at zero, the default). */
    public boolean fromData() {
        return fromData;
    }
}
