package org.tribuo.usae.onnx.cam;

/**
 * The outcome of one MACO run for one model and concept.
 *
 * @param height      image height.
 * @param width       image width.
 * @param pixels      {@code [3 x height x width]} RGB in (0, 1).
 * @param attribution {@code [height x width]}: accumulated |d objective / d pixel| over steps and channels.
 * @param trace       the objective (mean over crops) at every step.
 */
public record MacoResult(int height, int width, float[] pixels, float[] attribution, double[] trace) {
}
