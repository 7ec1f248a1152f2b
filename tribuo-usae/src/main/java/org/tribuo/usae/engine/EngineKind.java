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
    CPU(CpuEngine::new, 1),
    /** Double precision, plain loops: the oracle (slow). */
    REFERENCE(ReferenceEngine::new, 2),
    /** The fused ONNX Runtime training graph on the CPU execution provider (needs tribuo-usae-onnx). */
    ORT_CPU(null, 1),
    /** The fused ONNX Runtime training graph on the CUDA execution provider (tribuo-usae-onnx built with -Pgpu). */
    ORT_CUDA(null, 1);

    // behaviour through a field, not constant bodies (OLCUT records an enum option by its value's class)
    private final java.util.function.Supplier<Engine> perStep;
    private final double precisionFactor;

    EngineKind(java.util.function.Supplier<Engine> perStep, double precisionFactor) {
        this.perStep = perStep;
        this.precisionFactor = precisionFactor;
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

    /** @return how many times a float32 engine's bytes its per-step buffers take (double precision: 2). */
    public double precisionFactor() {
        return precisionFactor;
    }
}
