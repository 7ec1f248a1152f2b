package org.tribuo.usae.engine;

import org.tribuo.usae.sae.HalfAuxLoss;

/**
 * {@link HalfAuxLoss} on the CPU engine: the aux codes decode into every target (dictionary only, no bias) and score
 * {@code E = R - auxHat} against the not-detached residual, so its gradient flows into R as well
 * ({@code dE/dR = 1}, added to {@code gResid}) and into the aux codes and dictionaries ({@code dE/dauxHat = -1}).
 * The aux codes are half dense: {@link DenseSlotBlocks}. E overwrites {@code resid} (not needed after), and auxHat is
 * decoded into the buffer that then takes dL/dauxHat.
 */
final class CpuHalfAux implements CpuAuxTerm {
    private final HalfAuxLoss block;

    CpuHalfAux(HalfAuxLoss block) {
        this.block = block;
    }

    @Override
    public SlotCodes select(CpuTrainingStep step, int src, int position, boolean[] fired) {
        return AuxSelect.half(step.pre(src), step.codes(src), step.m, step.s, "aux" + position);
    }

    @Override
    public double withResiduals(CpuTrainingStep step, SlotCodes ac, float[][] decoders, float[][] dDecoder,
                                float[][] resid, float[][] gResid, double[] weight) {
        int numModels = step.numModels;
        int rows = step.rows;
        int[] dims = new int[numModels];
        float[][] auxHat = new float[numModels][];
        for (int t = 0; t < numModels; t++) {
            dims[t] = step.params.model(t).dim();
            // decoded into the buffer that then takes the aux gradient; the aux residual overwrites resid[t]
            auxHat[t] = weight[t] == 0 ? null : step.s.floats("gauxe" + t, rows * dims[t]);
        }
        long clock = PhaseTimer.start();
        step.auxBlocks.decode(ac, decoders, dims, auxHat);
        clock = PhaseTimer.stop(PhaseTimer.Phase.DECODE, clock);
        double aux = 0;
        float[][] gAuxHat = new float[numModels][];
        for (int t = 0; t < numModels; t++) {
            if (weight[t] == 0) {
                continue;
            }
            float[] g = auxHat[t];
            float[] e = resid[t];
            SparsePool.forRange(e.length, (part, lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    e[i] -= g[i];
                    g[i] = 0f;
                }
            });
            aux += step.obj.reconstruction().criterion().apply(e, step.batch.x()[t], rows, dims[t],
                    weight[t] * block.weight(), g, SparsePool.ROWS);
            float[] gr = gResid[t];
            SparsePool.forRange(g.length, (part, lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    gr[i] += g[i];
                    g[i] = -g[i];
                }
            });
            gAuxHat[t] = g;
        }
        clock = PhaseTimer.stop(PhaseTimer.Phase.LOSS, clock);
        step.auxBlocks.backward(ac, decoders, dims, gAuxHat, dDecoder);
        PhaseTimer.stop(PhaseTimer.Phase.BACKWARD, clock);
        return aux;
    }
}
