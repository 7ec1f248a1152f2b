package org.tribuo.usae.onnx.extract;

/**
 * A batch of token grids, channels last: {@code data[((b*h + y)*w + x)*c + ch]}. Token position
 * {@code y*w + x} is the row-major cell index, the same for every model after a {@link TokenPolicy}.
 *
 * @param batch inputs.
 * @param h     grid rows (1 for a sequence).
 * @param w     grid columns (the sequence length for a sequence).
 * @param c     channels (the model width).
 * @param data  {@code batch*h*w*c} values.
 */
public record TokenGrid(int batch, int h, int w, int c, float[] data) {
    /** Checks the sizes. */
    public TokenGrid {
        if (batch < 0 || h < 0 || w < 0 || c <= 0) {
            throw new IllegalArgumentException("bad token grid " + batch + "x" + h + "x" + w + "x" + c);
        }
        if ((long) batch * h * w * c != data.length) {
            throw new IllegalArgumentException("token grid " + batch + "x" + h + "x" + w + "x" + c + " needs "
                    + ((long) batch * h * w * c) + " values, got " + data.length);
        }
    }

    /** @return tokens per input ({@code h*w}). */
    public int tokens() {
        return h * w;
    }

    /** @param b input. @return its {@code [h*w x c]} block, copied. */
    public float[] input(int b) {
        int n = h * w * c;
        float[] out = new float[n];
        System.arraycopy(data, b * n, out, 0, n);
        return out;
    }
}
