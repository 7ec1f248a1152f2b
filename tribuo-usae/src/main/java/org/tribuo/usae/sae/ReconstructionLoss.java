package org.tribuo.usae.sae;

/**
 * The name under which each {@link ReconstructionCriterion} block is recorded (trainer options, model files): the
 * criterion between a target {@code [rows x d]} and its reconstruction.
 */
public enum ReconstructionLoss {
    /** mean |x - x̂| over all rows * d elements (official USAE). */
    L1(L1Criterion.INSTANCE),
    /** mean (x - x̂)^2 over all rows * d elements. */
    L2(L2Criterion.INSTANCE),
    /** SPARC / OpenAI: mean over rows of mean_d (x - x̂)^2 / mean_d x^2. */
    NMSE(NmseCriterion.INSTANCE);

    private final ReconstructionCriterion criterion;

    ReconstructionLoss(ReconstructionCriterion criterion) {
        this.criterion = criterion;
    }

    /** @return the block of this name. */
    public ReconstructionCriterion criterion() {
        return criterion;
    }
}
