package org.tribuo.usae.engine;

import org.tribuo.usae.sae.DeadLatentAuxK;
import org.tribuo.usae.sae.NmseCriterion;

/**
 * {@link DeadLatentAuxK} on the CPU engine: the top auxK pre-activations among the dead latents ({@link AuxSelect#dead})
 * decode with the bias into the source, scored by NMSE against the detached self residual plus the bias.
 */
final class CpuDeadAuxK implements CpuAuxTerm {
    private final DeadLatentAuxK block;

    CpuDeadAuxK(DeadLatentAuxK block) {
        this.block = block;
    }

    @Override
    public SlotCodes select(CpuTrainingStep step, int src, int position, boolean[] fired) {
        long[][] counters = step.stepsSinceFired;
        boolean[] dead = block.dead(fired, counters == null ? null : counters[src]);
        return AuxSelect.dead(step.pre(src), dead, block.slots(step.m), step.rows, step.s, "aux" + position);
    }

    @Override
    public double afterBackward(CpuTrainingStep step, int src, SlotCodes codes, float[] selfResid, float[] selfDecoder,
                                float[] dDecoder) {
        int rows = step.rows;
        int d = step.params.model(src).dim();
        float[] bias = step.decoderBias(src);
        long clock = PhaseTimer.start();
        float[] target = step.s.floats("auxtarget", rows * d);
        for (int n = 0; n < rows; n++) {
            for (int col = 0; col < d; col++) {
                int i = n * d + col;
                target[i] = selfResid[i] + (bias != null ? bias[col] : 0f);
            }
        }
        float[] e = step.s.floats("auxe" + src, rows * d);
        clock = PhaseTimer.stop(PhaseTimer.Phase.LOSS, clock);
        step.decoder.decode(codes, selfDecoder, d, bias, e);
        clock = PhaseTimer.stop(PhaseTimer.Phase.DECODE, clock);
        SparsePool.forRange(e.length, (part, lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                e[i] -= target[i];
            }
        });
        float[] gE = step.s.zeroFloats("gauxe" + src, rows * d);
        double aux = NmseCriterion.INSTANCE.apply(e, target, rows, d, block.weight() / step.numSources(), gE,
                SparsePool.ROWS);
        clock = PhaseTimer.stop(PhaseTimer.Phase.LOSS, clock);
        step.decoder.backward(codes, selfDecoder, d, gE, dDecoder);
        if (bias != null) {
            SparseDecode.addColumnSums(gE, rows, d, step.inputBiasGrad(src));
        }
        PhaseTimer.stop(PhaseTimer.Phase.BACKWARD, clock);
        return aux;
    }
}
