package org.tribuo.usae.interop;

import java.util.Arrays;

/**
 * One tensor's header entry in a safetensors file.
 *
 * @param name  the tensor's name.
 * @param dtype its element type.
 * @param shape its row-major shape (empty for a scalar).
 * @param begin its first byte, counted from the end of the header.
 * @param end   one past its last byte.
 */
public record SafetensorsTensor(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
    /** @return the element count (the product of the shape; 1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
    }
}
