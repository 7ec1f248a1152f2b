package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.Objective;

import java.util.Arrays;

/**
 * An engine's own heap model: the Java heap its training step holds beyond what every run holds (the parameters,
 * their AdamW moments, one batch and its standardised copy, the loop's bookkeeping: {@code train.MemoryEstimate}
 * counts those). Each engine states it next to the code that allocates it ({@link CpuScratch} for the CPU engine,
 * the fused engines' factories for theirs), so the estimate made before a run cannot drift from any one engine.
 */
@FunctionalInterface
public interface StepMemory {
    /**
     * @param arch       the architecture.
     * @param obj        the objective.
     * @param dims       model widths.
     * @param rows       rows per step.
     * @param chunkSteps steps per engine call (1 for a per-step engine).
     * @return the bytes the engine's step holds on the Java heap (or in direct buffers, which the JVM limits to the
     *     heap's size by default).
     */
    long bytes(Architecture arch, Objective obj, int[] dims, long rows, int chunkSteps);

    /**
     * @param arch the architecture.
     * @param dims model widths.
     * @return float32 values of every model's trainable tensors and buffers.
     */
    static long parameterFloats(Architecture arch, int[] dims) {
        long m = arch.numLatents();
        long params = 0;
        for (int d : dims) {
            params += 2 * m * d + m + (arch.hasInputBias() ? d : 0) + arch.encoderBlock().ownParameterFloats(m);
        }
        return params;
    }

    /**
     * The CPU engine (float32): gradient buffers for every parameter, each model's decoder and its gradient
     * {@code 2 m d}, and its step scratch ({@link CpuScratch}).
     */
    StepMemory CPU = (arch, obj, dims, rows, chunkSteps) -> 4 * (parameterFloats(arch, dims)
            + 2L * arch.numLatents() * Arrays.stream(dims).asLongStream().sum() + CpuScratch.floats(arch, obj, dims, rows));

    /** The reference engine: the CPU engine's buffers in double precision (its scratch differs in shape, not size). */
    StepMemory REFERENCE = (arch, obj, dims, rows, chunkSteps) -> 2 * CPU.bytes(arch, obj, dims, rows, chunkSteps);
}
