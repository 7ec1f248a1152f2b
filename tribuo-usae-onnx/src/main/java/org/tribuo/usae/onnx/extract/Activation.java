package org.tribuo.usae.onnx.extract;

import java.util.Arrays;

/**
 * One tapped tensor copied out of ONNX Runtime: its name, its shape and its values as float32,
 * row-major (C order).
 *
 * @param name  the graph tensor name.
 * @param shape the concrete shape of this run.
 * @param data  the values, {@code product(shape)} long.
 */
public record Activation(String name, long[] shape, float[] data) {
    /** Checks that the data length matches the shape. */
    public Activation {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values but data has " + data.length);
        }
        shape = shape.clone();
    }

    /** @return the number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** @param i axis. @return the size of that axis as an int. */
    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return "Activation[" + name + " " + Arrays.toString(shape) + "]";
    }
}
