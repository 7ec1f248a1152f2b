package org.tribuo.usae.onnx.cam;

/**
 * Settings of one MACO run (Fel et al. 2023; what it computes: docs/cam.md).
 *
 * @param steps        optimisation steps (MACO: 1000).
 * @param crops        random crops per step (MACO: 6).
 * @param imageHeight  height of the optimised image.
 * @param imageWidth   width of the optimised image.
 * @param cropMin      smallest crop side, as a fraction of the image side (MACO: 0.25).
 * @param cropMax      largest crop side fraction (MACO: 0.30).
 * @param noiseStd     Gaussian noise std added to each crop, in [0, 1] pixel units (MACO: 0.05 on its
 *                     5-wide value range, i.e. 0.01 here).
 * @param noiseUniform half-width of the uniform noise added to each crop (MACO: 0.025 of 5, i.e. 0.005).
 * @param learningRate NAdam learning rate on the phase (MACO: 1.0).
 * @param seed         seed of the initial phase, the crops and the noise.
 */
public record MacoOptions(int steps, int crops, int imageHeight, int imageWidth, double cropMin, double cropMax,
                         double noiseStd, double noiseUniform, double learningRate, long seed) {
    /** Checks every field. */
    public MacoOptions {
        if (steps < 1 || crops < 1) {
            throw new IllegalArgumentException("MACO needs steps >= 1 and crops >= 1, got steps=" + steps
                    + ", crops=" + crops);
        }
        if (imageHeight < 2 || imageWidth < 2) {
            throw new IllegalArgumentException("MACO image must be at least 2x2, got " + imageHeight + "x" + imageWidth);
        }
        if (!(cropMin > 0 && cropMin <= cropMax && cropMax <= 1)) {
            throw new IllegalArgumentException("MACO crop fractions need 0 < cropMin <= cropMax <= 1, got "
                    + cropMin + ", " + cropMax);
        }
        if (noiseStd < 0 || noiseUniform < 0 || !(learningRate > 0)) {
            throw new IllegalArgumentException("MACO noise must be >= 0 and the learning rate > 0, got noiseStd="
                    + noiseStd + ", noiseUniform=" + noiseUniform + ", learningRate=" + learningRate);
        }
    }

    /**
     * MACO's settings for an image {@code scale} times the model input (MACO: 1280 for 224, about 5.7).
     *
     * @param modelHeight model input height.
     * @param modelWidth  model input width.
     * @param steps       steps.
     * @param seed        seed.
     * @return the config.
     */
    public static MacoOptions maco(int modelHeight, int modelWidth, int steps, long seed) {
        return new MacoOptions(steps, 6, 4 * modelHeight, 4 * modelWidth, 0.25, 0.30, 0.01, 0.005, 1.0, seed);
    }
}
