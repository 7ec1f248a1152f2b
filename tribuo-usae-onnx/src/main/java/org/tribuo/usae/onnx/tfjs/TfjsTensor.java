package org.tribuo.usae.onnx.tfjs;

import java.util.Arrays;

/**
 * A tensor known when the model is read: one weight of the manifest (dequantised) or an inline Const.
 * Values are row-major in TensorFlow's layout (convolution kernels HWIO, depthwise kernels
 * {@code [H x W x in x multiplier]}, dense kernels {@code [in x out]}).
 */
public final class TfjsTensor {
    /** Element type. */
    public enum DType {
        /** 32-bit float (also every dequantised weight). */
        FLOAT32,
        /** 32-bit signed integer (shapes, axes). */
        INT32
    }

    private final String name;
    private final long[] shape;
    private final float[] floats;
    private final int[] ints;

    private TfjsTensor(String name, long[] shape, float[] floats, int[] ints) {
        this.name = name;
        this.shape = shape.clone();
        this.floats = floats;
        this.ints = ints;
        long n = numElements(shape);
        int len = floats != null ? floats.length : ints.length;
        if (n != len) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, given " + len);
        }
    }

    /** @param name its name. @param shape its shape. @param values row-major values. @return a float tensor. */
    public static TfjsTensor ofFloats(String name, long[] shape, float[] values) {
        return new TfjsTensor(name, shape, values, null);
    }

    /** @param name its name. @param shape its shape. @param values row-major values. @return an int tensor. */
    public static TfjsTensor ofInts(String name, long[] shape, int[] values) {
        return new TfjsTensor(name, shape, null, values);
    }

    /** @return the name (weight name or Const node name). */
    public String name() {
        return name;
    }

    /** @return a copy of the shape ({} for a scalar). */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the rank. */
    public int rank() {
        return shape.length;
    }

    /** @return the element type. */
    public DType dtype() {
        return floats != null ? DType.FLOAT32 : DType.INT32;
    }

    /** @return the float values (shared, do not modify). @throws IllegalStateException for an int tensor. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException(name + " is int32, not float32");
        }
        return floats;
    }

    /** @return the int values (shared, do not modify). @throws IllegalStateException for a float tensor. */
    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException(name + " is float32, not int32");
        }
        return ints;
    }

    /** @return the number of elements. */
    public int size() {
        return floats != null ? floats.length : ints.length;
    }

    /** @param shape a shape. @return the product of its dimensions (1 for a scalar). */
    static long numElements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype() + Arrays.toString(shape);
    }
}
