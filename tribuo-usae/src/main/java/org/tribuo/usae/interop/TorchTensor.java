package org.tribuo.usae.interop;

import java.util.Arrays;

/**
 * A tensor read from a torch checkpoint, contiguous row-major: floating types as float32 ({@link #floats()}),
 * integer and bool types as int64 ({@link #longs()}).
 *
 * @param dtype  the stored element type.
 * @param shape  the shape.
 * @param floats the elements of a floating-point tensor, else null.
 * @param longs  the elements of an integer or bool tensor, else null.
 */
public record TorchTensor(TorchDType dtype, long[] shape, float[] floats, long[] longs) {
    /** @return the element count. */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchTensor t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(floats, t.floats) && Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "TorchTensor(" + dtype + Arrays.toString(shape) + ")";
    }
}
