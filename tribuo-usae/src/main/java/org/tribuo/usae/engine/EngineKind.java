package org.tribuo.usae.engine;

/** Which arithmetic runs training and inference. */
public enum EngineKind {
    /** Float32, GEMM through ND4J, sparse decode and backward. */
    CPU,
    /** Double precision, plain loops: the oracle (slow). */
    REFERENCE;

    /** @return a new engine of this kind (engines keep scratch space: one per thread). */
    public Engine create() {
        return switch (this) {
            case CPU -> new CpuEngine();
            case REFERENCE -> new ReferenceEngine();
        };
    }
}
