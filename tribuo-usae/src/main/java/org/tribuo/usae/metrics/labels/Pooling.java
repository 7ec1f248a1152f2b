package org.tribuo.usae.metrics.labels;

/** How an input's token codes become one per-input code. */
public enum Pooling {
    /** Per latent, the largest code over the input's tokens (default: "fires somewhere in the input"). */
    MAX,
    /** Per latent, the sum over the input's tokens divided by its token count (inactive tokens count 0). */
    MEAN
}
