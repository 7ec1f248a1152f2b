package org.tribuo.usae.train;

/**
 * What happens to a latent that has been dead (silent for more than {@code deadSteps} of its model's steps) when the
 * re-initialisation period ({@code deadReinitEvery}) comes round.
 */
public enum DeadLatentReinit {
    /** SPARC's code: the encoder row to N(0, 0.01^2), the latent bias to 0, the counter to 0. */
    NOISE(false),
    /**
     * From the data: the latent takes one token of the step's batch, the same token in every model where it is dead
     * (so it is reborn shared across them). There its dictionary row becomes the token's unit direction
     * {@code u = normalize(x - input_bias)}, its encoder row {@code u} times the mean norm of the model's live encoder
     * rows (so it competes at once), its bias 0, its AdamW moments 0 and its counter 0. Anthropic's resampling
     * uses poorly reconstructed inputs; a uniformly drawn token keeps the step cheap and engine-independent.
     */
    DATA_ROWS(true);

    // behaviour through a field, not a constant body (OLCUT records an enum option by its value's class)
    private final boolean fromData;

    DeadLatentReinit(boolean fromData) {
        this.fromData = fromData;
    }

    /** @return whether the latent restarts from a token of the batch (else from small noise). */
    public boolean fromData() {
        return fromData;
    }
}
