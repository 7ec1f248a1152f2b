package org.tribuo.usae.sae;

import java.util.function.Function;

/**
 * The name under which each {@link AuxiliaryLoss} block is recorded (trainer options, model files); the behaviour is
 * the block's ({@link #block}).
 */
public enum AuxLossKind {
    /**
     * Official USAE: the top m/2 of the non-selected positive pre-codes reconstruct the (not
     * detached) residual of every target, with the reconstruction criterion ({@link HalfAuxLoss}).
     */
    HALF(obj -> new HalfAuxLoss(obj.auxWeight())),
    /**
     * Gao et al. / SPARC: the top auxK latents among those dead for more than the dead threshold
     * reconstruct the detached self-reconstruction residual, scored by NMSE ({@link DeadLatentAuxK}).
     */
    DEAD_AUXK(obj -> new DeadLatentAuxK(obj.auxK(), obj.auxWeight(), obj.deadSteps())),
    /** No auxiliary loss ({@link NoAuxiliaryLoss}). */
    NONE(obj -> NoAuxiliaryLoss.INSTANCE);

    private final Function<Objective, AuxiliaryLoss> block;

    AuxLossKind(Function<Objective, AuxiliaryLoss> block) {
        this.block = block;
    }

    /**
     * @param objective the objective, whose settings the block takes.
     * @return the block of this name.
     * @throws IllegalArgumentException naming a setting the block cannot take.
     */
    public AuxiliaryLoss block(Objective objective) {
        return block.apply(objective);
    }
}
