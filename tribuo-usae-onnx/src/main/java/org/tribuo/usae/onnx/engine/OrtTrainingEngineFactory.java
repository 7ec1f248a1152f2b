package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.engine.StepMemory;
import org.tribuo.usae.train.FusedEngineOptions;
import org.tribuo.usae.train.TrainingEngine;
import org.tribuo.usae.train.FusedStepEngineFactory;
import org.tribuo.usae.train.TrainingSettings;

/** Provides {@link EngineKind#ORT_CPU} and {@link EngineKind#ORT_CUDA} to the trainer (ServiceLoader). */
public final class OrtTrainingEngineFactory implements FusedStepEngineFactory {
    @Override
    public boolean supports(EngineKind kind) {
        return kind == EngineKind.ORT_CPU || kind == EngineKind.ORT_CUDA;
    }

    @Override
    public TrainingEngine create(EngineKind kind, TrainingSettings settings, int[] dims, FusedEngineOptions options) {
        return new OrtTrainingEngine(kind, settings, dims, options);
    }

    /**
     * A chunk of S steps of R rows on the Java side (the graph's own intermediates live in ONNX Runtime's native
     * arena, outside the JVM's limits): the state copied into direct buffers for the call ({@code 3 P}, parameters and
     * both AdamW moments), the chunk's raw and standardised batches beyond the one every run holds
     * ({@code 2 (S - 1) R D}), their stacked direct copy ({@code S R D}) and the per-step statistics ({@code S M m}).
     */
    @Override
    public StepMemory memory(EngineKind kind) {
        return (arch, obj, dims, rows, chunkSteps) -> {
            long sumD = java.util.Arrays.stream(dims).asLongStream().sum();
            long s = chunkSteps;
            return 4 * (3 * StepMemory.parameterFloats(arch, dims) + (2 * (s - 1) + s) * rows * sumD
                    + s * (4 + (long) dims.length * arch.numLatents()));
        };
    }
}
