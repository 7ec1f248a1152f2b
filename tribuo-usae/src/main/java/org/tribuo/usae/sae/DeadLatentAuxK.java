package org.tribuo.usae.sae;

/**
 * Dead-latent AuxK (Gao et al. 2024; SPARC): a latent is dead for a step when it did not fire in the batch and its
 * counter of steps since it last fired, counted up with this step, exceeds {@link #deadSteps()}. In each row the top
 * {@link #auxK()} pre-activations among the dead latents, then ReLU, decode (with the decoder bias) into the source
 * itself, scored by NMSE against the detached target {@code x - xhat + b}, weighted {@link #weight()} over the
 * step's sources.
 */
public final class DeadLatentAuxK implements AuxiliaryLoss {
    private final int auxK;
    private final double weight;
    private final int deadSteps;

    /**
     * @param auxK      latents per row.
     * @param weight    the term's weight (SPARC: 1/32).
     * @param deadSteps steps without firing after which a latent is dead.
     */
    public DeadLatentAuxK(int auxK, double weight, int deadSteps) {
        if (auxK < 1) {
            throw new IllegalArgumentException("auxK must be > 0 for dead-latent AuxK, got " + auxK);
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("auxWeight must be finite and >= 0, got " + weight);
        }
        if (deadSteps < 1) {
            throw new IllegalArgumentException("deadSteps must be >= 1, got " + deadSteps);
        }
        this.auxK = auxK;
        this.weight = weight;
        this.deadSteps = deadSteps;
    }

    /** @return latents per row. */
    public int auxK() {
        return auxK;
    }

    /** @return the term's weight, shared over the step's sources. */
    public double weight() {
        return weight;
    }

    /** @return steps without firing after which a latent is dead. */
    public int deadSteps() {
        return deadSteps;
    }

    /**
     * @param firedNow        {@code [m]} whether each latent fired in this batch.
     * @param stepsSinceFired {@code [m]} the counters before this step, or null (all 0).
     * @return {@code [m]} the latents dead for this step (counters updated with this batch first, as SPARC).
     */
    public boolean[] dead(boolean[] firedNow, long[] stepsSinceFired) {
        boolean[] dead = new boolean[firedNow.length];
        for (int j = 0; j < dead.length; j++) {
            long steps = firedNow[j] ? 1 : (stepsSinceFired == null ? 0 : stepsSinceFired[j]) + 1;
            dead[j] = steps > deadSteps;
        }
        return dead;
    }

    @Override
    public boolean keepsDeadCounters() {
        return true;
    }

    @Override
    public int slots(int numLatents) {
        return Math.min(auxK, numLatents);
    }

    @Override
    public Flops flops(double rows, double numLatents, double sourceDim, double targetDims, double updatedTargetDims) {
        // decode, code and dictionary gradients, into the source only
        return new Flops(0, 3 * (2 * rows * slots((int) numLatents) * sourceDim), false);
    }

    @Override
    public long scratchFloats(long rows, long sumDims, long maxDim) {
        return 3 * rows * maxDim;       // the target, the aux reconstruction and its gradient
    }

    @Override
    public String label() {
        return "dead-latent AuxK";
    }

    @Override
    public String toString() {
        return "DeadLatentAuxK(auxK=" + auxK + ", weight=" + weight + ", deadSteps=" + deadSteps + ")";
    }
}
