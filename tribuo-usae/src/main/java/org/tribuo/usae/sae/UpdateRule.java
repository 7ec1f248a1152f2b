package org.tribuo.usae.sae;

/** Which parameters a training step changes. */
public enum UpdateRule {
    /**
     * Official USAE: only the parameters of this step's source models move, with their full
     * gradient. With one source i per step, dictionary i appears only in the self term, so it learns
     * only from codes of its own encoder; other dictionaries' cross-term gradients are discarded.
     */
    SOURCE_ONLY,
    /**
     * Every parameter that takes part in the step's loss moves (with one source per step: also the
     * other models' dictionaries and decoder biases, through the cross terms). Parameters outside
     * the loss get no update at all (no weight decay, no momentum), as PyTorch skips absent grads.
     */
    ALL_MODELS
}
