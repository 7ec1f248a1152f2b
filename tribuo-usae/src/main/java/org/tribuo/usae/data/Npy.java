package org.tribuo.usae.data;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Entry points for numpy .npy files: open for reading, or write a whole array at once. */
public final class Npy {
    /** Dtypes accepted for activations: float32 and float16 (widened on read). */
    public static final Set<DType> ACTIVATION_DTYPES = EnumSet.of(DType.FLOAT32, DType.FLOAT16);
    /** Dtype accepted for the row index. */
    public static final Set<DType> INDEX_DTYPES = EnumSet.of(DType.INT64);

    private Npy() {
    }

    /**
     * Opens an activation file {@code [rows x dim]} ('&lt;f4' or '&lt;f2').
     *
     * @param file the .npy file.
     * @return the mapped array.
     */
    public static NpyArray openActivations(Path file) {
        return NpyArray.open(file, ACTIVATION_DTYPES);
    }

    /**
     * Writes a float32 array atomically.
     *
     * @param file target.
     * @param data {@code [rows x cols]} row-major.
     * @param rows rows.
     * @param cols columns.
     */
    public static void writeFloat32(Path file, float[] data, int rows, int cols) {
        checkLength(file, data.length, rows, cols);
        NpyWriter w = NpyWriter.float32(file, cols);
        try {
            w.writeRows(data, 0, rows);
            w.close();
        } catch (RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /**
     * Writes an int64 array atomically.
     *
     * @param file target.
     * @param data {@code [rows x cols]} row-major.
     * @param rows rows.
     * @param cols columns.
     */
    public static void writeInt64(Path file, long[] data, int rows, int cols) {
        checkLength(file, data.length, rows, cols);
        NpyWriter w = NpyWriter.int64(file, cols);
        try {
            w.writeRows(data, 0, rows);
            w.close();
        } catch (RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    private static void checkLength(Path file, int length, int rows, int cols) {
        if ((long) rows * cols != length) {
            throw new ActivationSetException(file + ": " + length + " values do not form [" + rows + " x " + cols + "]");
        }
    }
}
