package org.tribuo.usae.metrics;

/**
 * Holds the M x M {@link R2Accumulator}s of a self/cross reconstruction evaluation. Cell (i, j) scores
 * model j's activations reconstructed from encoder i's codes through D_j, so its width is {@code dims[j]}.
 */
public final class R2MatrixBuilder {
    private final String[] names;
    private final int[] dims;
    private final R2Accumulator[][] cells;

    /** @param names model names, {@code [M]}. @param dims model widths d_i, {@code [M]}. */
    public R2MatrixBuilder(String[] names, int[] dims) {
        if (names.length != dims.length || names.length == 0) {
            throw new IllegalArgumentException("Need as many names as dims (>= 1), got " + names.length
                    + " and " + dims.length);
        }
        this.names = names.clone();
        this.dims = dims.clone();
        int m = names.length;
        this.cells = new R2Accumulator[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                cells[i][j] = new R2Accumulator(dims[j]);
            }
        }
    }

    /**
     * @param i              source (encoder) model.
     * @param j              target (decoder) model.
     * @param target         model j's activations, {@code [rows x d_j]}.
     * @param reconstruction D_j applied to encoder i's codes, {@code [rows x d_j]}.
     * @param rows           rows in the batch.
     */
    public void add(int i, int j, float[] target, float[] reconstruction, int rows) {
        cells[i][j].add(target, reconstruction, rows, dims[j]);
    }

    /** @param i source. @param j target. @return the live accumulator of cell (i, j). */
    public R2Accumulator cell(int i, int j) {
        return cells[i][j];
    }

    /** @return the current scores (NaN for cells that saw no rows). */
    public R2Matrix build() {
        int m = names.length;
        double[][] off = new double[m][m];
        double[][] vw = new double[m][m];
        double[][] ua = new double[m][m];
        double[][] mse = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                R2Accumulator c = cells[i][j];
                off[i][j] = c.official();
                vw[i][j] = c.varianceWeighted();
                ua[i][j] = c.uniformAverage();
                mse[i][j] = c.mse();
            }
        }
        return new R2Matrix(names.clone(), off, vw, ua, mse);
    }
}
