package org.tribuo.usae.sae;

/**
 * The official USAE auxiliary loss: in each row, the top {@code floor(m/2)} positive pre-activations the sparsity
 * did not choose decode into every target, and {@code crit(R_t - auxHat_t)} is scored against the not-detached
 * residual {@code R_t = x_t - xhat_t}, weighted by the target's term weight times {@link #weight()}, with the
 * recipe's reconstruction criterion. Its codes fill half of every row, so engines decode them densely.
 */
public final class HalfAuxLoss implements AuxiliaryLoss {
    private final double weight;

    /** @param weight the term's weight (0.1 in the official code). */
    public HalfAuxLoss(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("auxWeight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
    }

    /** @return the term's weight. */
    public double weight() {
        return weight;
    }

    @Override
    public int slots(int numLatents) {
        return numLatents / 2;
    }

    @Override
    public boolean denseCodes() {
        return true;
    }

    @Override
    public Flops flops(double rows, double numLatents, double sourceDim, double targetDims, double updatedTargetDims) {
        // decode and code gradient into every target, dictionary gradient of the updated ones; the code gradient is
        // dense, so the encoder weight gradient is one dense product
        double decode = 2 * (2 * rows * numLatents * targetDims) + 2 * rows * numLatents * updatedTargetDims;
        return new Flops(decode + 2 * rows * numLatents * sourceDim, 0, true);
    }

    @Override
    public long scratchFloats(long rows, long sumDims, long maxDim) {
        return rows * sumDims;          // every target's aux reconstruction, then its gradient
    }

    @Override
    public String label() {
        return "half-aux";
    }

    @Override
    public String toString() {
        return "HalfAuxLoss(weight=" + weight + ")";
    }
}
