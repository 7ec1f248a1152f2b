package org.tribuo.usae.data;

import java.util.Objects;

/**
 * Aligned rows of every model for the same tokens: {@code x[i]} is model i's {@code [rows x dim_i]}
 * block, row-major float32. Row r of every block is the same input token ({@code rowIds[r]} in the
 * activation set).
 *
 * @param rowIds the set's row ids, {@code [rows]}.
 * @param x      per-model blocks, in the set's model order.
 * @param dims   per-model widths.
 */
public record Batch(long[] rowIds, float[][] x, int[] dims) {
    public Batch {
        Objects.requireNonNull(rowIds);
        if (x.length != dims.length) {
            throw new IllegalArgumentException("Batch has " + x.length + " blocks but " + dims.length + " dims");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != rowIds.length * dims[i]) {
                throw new IllegalArgumentException("Batch block " + i + " has " + x[i].length + " values, expected "
                        + rowIds.length + " rows x " + dims[i]);
            }
        }
    }

    /** @return rows in the batch. */
    public int rows() {
        return rowIds.length;
    }

    /** @return number of models. */
    public int numModels() {
        return x.length;
    }
}
