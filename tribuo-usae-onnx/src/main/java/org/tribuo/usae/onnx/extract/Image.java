package org.tribuo.usae.onnx.extract;

/**
 * An image as float pixels, channels last ({@code data[(y*w + x)*channels + ch]}), 1 (grey) or 3
 * (RGB) channels, values on the caller's scale (usually 0..255).
 *
 * @param h        rows.
 * @param w        columns.
 * @param channels 1 or 3.
 * @param data     {@code h*w*channels} values.
 */
public record Image(int h, int w, int channels, float[] data) {
    /** Checks the sizes. */
    public Image {
        if (h <= 0 || w <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("image must be h, w > 0 with 1 or 3 channels, got " + h + "x" + w + "x" + channels);
        }
        if ((long) h * w * channels != data.length) {
            throw new IllegalArgumentException("image " + h + "x" + w + "x" + channels + " needs " + ((long) h * w * channels)
                    + " values, got " + data.length);
        }
    }
}
