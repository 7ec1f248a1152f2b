package org.tribuo.usae.onnx.cam;

import org.tribuo.usae.onnx.extract.ImagePreprocessor;

/**
 * A model's own input normalisation, written for pixels in {@code [0, 1]} (RGB, NCHW):
 * {@code value[c] = (pixel[c] - mean[c]) / std[c]}.
 *
 * @param mean {@code [3]} per channel, model channel order.
 * @param std  {@code [3]} per channel, non-zero.
 * @param bgr  whether the model takes BGR (the graph then swaps the channels first).
 */
public record PixelNormalization(float[] mean, float[] std, boolean bgr) {
    /** Checks the sizes. */
    public PixelNormalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("pixel normalisation needs 3 means and 3 stds, got " + mean.length
                    + " and " + std.length);
        }
        for (float s : std) {
            if (s == 0f) {
                throw new IllegalArgumentException("pixel normalisation: std must not be 0");
            }
        }
    }

    /**
     * The normalisation an {@link ImagePreprocessor} applies, for pixels in {@code [0, 1]} whose raw value is
     * {@code pixel * pixelMax}: {@code (pixel * pixelMax * scale - mean) / std}.
     *
     * @param pre      the preprocessor (3 channels, NCHW).
     * @param pixelMax the raw value of white (255 for 8-bit images).
     * @return the normalisation.
     */
    public static PixelNormalization of(ImagePreprocessor pre, float pixelMax) {
        if (pre.channels() != 3 || pre.layout() != ImagePreprocessor.TensorLayout.NCHW) {
            throw new IllegalArgumentException("activation maximisation needs a 3-channel NCHW model input, got "
                    + pre.channels() + " channels, " + pre.layout());
        }
        float k = pixelMax * pre.scale();
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = pre.mean(c) / k;
            std[c] = pre.std(c) / k;
        }
        return new PixelNormalization(mean, std, pre.channelOrder() == ImagePreprocessor.ChannelOrder.BGR);
    }
}
