package org.tribuo.usae.sae;

/** No auxiliary loss: a step decodes only the chosen latents. */
public final class NoAuxiliaryLoss implements AuxiliaryLoss {
    /** The one instance. */
    public static final NoAuxiliaryLoss INSTANCE = new NoAuxiliaryLoss();

    private NoAuxiliaryLoss() {
    }

    @Override
    public int slots(int numLatents) {
        return 0;
    }

    @Override
    public Flops flops(double rows, double numLatents, double sourceDim, double targetDims, double updatedTargetDims) {
        return new Flops(0, 0, false);
    }

    @Override
    public long scratchFloats(long rows, long sumDims, long maxDim) {
        return 0;
    }

    @Override
    public String label() {
        return "no aux loss";
    }

    @Override
    public String toString() {
        return "NoAuxiliaryLoss";
    }
}
