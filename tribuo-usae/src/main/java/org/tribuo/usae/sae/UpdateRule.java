package org.tribuo.usae.sae;

/** Which parameters a training step changes. */
public enum UpdateRule {
    /**
     * Official USAE: only the parameters of this step's source models move, with their full
     * gradient. With one source i per step, dictionary i appears only in the self term, so it learns
     * only from codes of its own encoder; other dictionaries' cross-term gradients are discarded.
     */
    SOURCE_ONLY(false),
    /**
     * Every parameter that takes part in the step's loss moves (with one source per step: also the
     * other models' dictionaries and decoder biases, through the cross terms). Parameters outside
     * the loss get no update at all (no weight decay, no momentum), as PyTorch skips absent grads.
     */
    ALL_MODELS(true);

    // behaviour through a field, not constant bodies: OLCUT records an enum option by its value's class, and a
    // constant with a body is an anonymous subclass that provenance could not read back
    private final boolean everyModel;

    UpdateRule(boolean everyModel) {
        this.everyModel = everyModel;
    }

    /** @return whether every model taking part in the loss is updated (not only the sources). */
    public boolean everyModel() {
        return everyModel;
    }

    /**
     * @param model   a model index.
     * @param sources this step's source models.
     * @return whether the step updates the model's parameters (those that take part in its loss).
     */
    public boolean updates(int model, int[] sources) {
        if (everyModel) {
            return true;
        }
        for (int s : sources) {
            if (s == model) {
                return true;
            }
        }
        return false;
    }
}
