package org.tribuo.usae.sae;

/** The auxiliary loss that keeps latents alive. */
public enum AuxLossKind {
    /**
     * Official USAE: the top m/2 of the non-selected positive pre-codes reconstruct the (not
     * detached) residual of every target, with the reconstruction criterion.
     */
    HALF,
    /**
     * Gao et al. / SPARC: the top auxK latents among those dead for more than the dead threshold
     * reconstruct the detached self-reconstruction residual, scored by NMSE.
     */
    DEAD_AUXK,
    /** No auxiliary loss. */
    NONE
}
