package org.tribuo.usae.sae;

/** Which parameters a training step changes. */
public enum UpdateRule {
    /**
     * Official USAE: a source model's encoder and its own dictionary only; a dictionary learns only
     * from codes of its own encoder (cross-term gradients of other dictionaries are discarded).
     */
    SOURCE_ONLY,
    /** Every parameter that receives a gradient is updated (SPARC). */
    ALL_MODELS
}
