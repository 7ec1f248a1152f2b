package org.tribuo.usae.train;

/**
 * How a fused engine runs.
 *
 * @param chunkSteps             the most steps per engine call (the state crosses to the device once per chunk).
 * @param reducedPrecisionMatmul let matrix products use the device's reduced-precision mode where it has one
 *                               (ORT_CUDA: TF32 tensor cores, fp32 storage and accumulation); false keeps
 *                               full float32 products.
 */
public record FusedEngineOptions(int chunkSteps, boolean reducedPrecisionMatmul) {
    public FusedEngineOptions {
        if (chunkSteps < 1) {
            throw new IllegalArgumentException("chunkSteps must be >= 1, got " + chunkSteps);
        }
    }
}
