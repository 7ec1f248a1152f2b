package org.tribuo.usae.engine;

/**
 * Which arithmetic runs training and inference.
 *
 * <p>CPU and REFERENCE are per-step {@link Engine}s: the trainer's optimiser applies their gradients.
 * The ORT kinds are fused: the whole step (forward, backward, clipping, AdamW, BatchNorm statistics)
 * runs as an ONNX graph, many steps per call, in the {@code tribuo-usae-onnx} module; the trainer
 * finds them through {@code org.tribuo.usae.train.FusedStepEngines}, so core never loads ONNX Runtime.
 */
public enum EngineKind {
    /** Float32, GEMM through ND4J, sparse decode and backward. */
    CPU,
    /** Double precision, plain loops: the oracle (slow). */
    REFERENCE,
    /** The fused ONNX Runtime training graph on the CPU execution provider (needs tribuo-usae-onnx). */
    ORT_CPU,
    /** The fused ONNX Runtime training graph on the CUDA execution provider (tribuo-usae-onnx built with -Pgpu). */
    ORT_CUDA;

    /** @return true when this kind runs whole training steps (no per-step {@link Engine}). */
    public boolean fused() {
        return this == ORT_CPU || this == ORT_CUDA;
    }

    /**
     * @return a new per-step engine of this kind (engines keep scratch space: one per thread).
     * @throws IllegalStateException for the fused kinds, which have no per-step engine.
     */
    public Engine create() {
        return switch (this) {
            case CPU -> new CpuEngine();
            case REFERENCE -> new ReferenceEngine();
            case ORT_CPU, ORT_CUDA -> throw new IllegalStateException("Engine " + this + " runs whole training steps "
                    + "(FusedStepEngines.create), it has no per-step forward/backward; use CPU for inference");
        };
    }
}
