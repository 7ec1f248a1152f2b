package org.tribuo.usae.engine;

/**
 * Which arithmetic runs training and inference, by the name trainer options and saved provenance record.
 *
 * <p>CPU and REFERENCE are per-step {@link Engine}s (training runs them as {@code train.PerStepEngine}). The other
 * kinds are fused engines of another module, which runs whole training steps, many per call; the trainer finds them
 * through {@code org.tribuo.usae.train.FusedStepEngines} (a {@code ServiceLoader}), so core never loads their
 * libraries. Their names stay here because saved models and checkpoints record the option by this enum's name.
 */
public enum EngineKind {
    /** Float32, GEMM through ND4J, sparse decode and backward. */
    CPU(CpuEngine::new, StepMemory.CPU),
    /** Double precision, plain loops: the oracle (slow). */
    REFERENCE(ReferenceEngine::new, StepMemory.REFERENCE),
    /** The fused ONNX Runtime training graph on the CPU execution provider (needs tribuo-usae-onnx). */
    ORT_CPU(null, null),
    /** The fused ONNX Runtime training graph on the CUDA execution provider (tribuo-usae-onnx built with -Pgpu). */
    ORT_CUDA(null, null);

    // behaviour through fields, not constant bodies (OLCUT records an enum option by its value's class)
    private final java.util.function.Supplier<Engine> perStep;
    private final StepMemory memory;

    EngineKind(java.util.function.Supplier<Engine> perStep, StepMemory memory) {
        this.perStep = perStep;
        this.memory = memory;
    }

    /** @return true when this kind runs whole training steps (no per-step {@link Engine}). */
    public boolean fused() {
        return perStep == null;
    }

    /**
     * @return a new per-step engine of this kind (engines keep scratch space: one per thread).
     * @throws IllegalStateException for the fused kinds, which have no per-step engine.
     */
    public Engine create() {
        if (perStep == null) {
            throw new IllegalStateException("Engine " + this + " runs whole training steps "
                    + "(FusedStepEngines.create), it has no per-step forward/backward; use CPU for inference");
        }
        return perStep.get();
    }

    /**
     * @return the per-step engine's heap model.
     * @throws IllegalStateException for the fused kinds, whose factory states theirs
     *     ({@code train.FusedStepEngineFactory#memory}).
     */
    public StepMemory memory() {
        if (memory == null) {
            throw new IllegalStateException("Engine " + this + " is fused; its factory states its memory");
        }
        return memory;
    }
}
