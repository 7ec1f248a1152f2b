package org.tribuo.usae.metrics;

/**
 * Streaming reconstruction scores for one (source i, target j) cell: feed batches of a target block
 * {@code A [rows x dim]} and its reconstruction {@code Â [rows x dim]} (row-major), read the scores at the end.
 * <p>
 * Per-column statistics are accumulated around a per-column shift (the first value seen), which is
 * algebraically the same as Σx and Σx² but avoids cancellation: a constant column gets SST exactly 0.
 * <p>
 * Constant columns (SST_c = 0) follow sklearn's {@code r2_score} with {@code force_finite=True}:
 * R²_c = 1 if SSE_c = 0, else 0. For {@link #varianceWeighted()} the columns are weighted by SST_c, so
 * constant columns drop out (their SSE is ignored); if every column is constant it falls back to the
 * uniform average, as sklearn does. Not thread safe.
 */
public final class R2Accumulator {
    /** The official code's denominator epsilon ({@code overcomplete/metrics.py:r2_score}). */
    public static final double OFFICIAL_EPS = 1e-6;

    private final int dim;
    private final double[] shift;
    private final double[] sumShifted;
    private final double[] sumSqShifted;
    private final double[] sse;
    private long rows;
    private double officialSum;
    private int batches;

    /** @param dim columns of the target block. */
    public R2Accumulator(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive, got " + dim);
        }
        this.dim = dim;
        this.shift = new double[dim];
        this.sumShifted = new double[dim];
        this.sumSqShifted = new double[dim];
        this.sse = new double[dim];
    }

    /** @return the target width. */
    public int dim() {
        return dim;
    }

    /** @return rows added so far. */
    public long rows() {
        return rows;
    }

    /** @return batches added so far (empty batches are skipped). */
    public int batches() {
        return batches;
    }

    /**
     * Adds one batch.
     *
     * @param target         {@code A}, {@code [rows x dim]}.
     * @param reconstruction {@code Â}, {@code [rows x dim]}.
     * @param rows           rows in this batch.
     * @param dim            must equal {@link #dim()}.
     */
    public void add(float[] target, float[] reconstruction, int rows, int dim) {
        if (dim != this.dim) {
            throw new IllegalArgumentException("Accumulator has dim " + this.dim + ", batch has " + dim);
        }
        meanSst = Double.NaN;
        long n = (long) rows * dim;
        if (target.length != n || reconstruction.length != n) {
            throw new IllegalArgumentException("Expected " + n + " values, got target " + target.length
                    + " and reconstruction " + reconstruction.length);
        }
        if (rows == 0) {
            return;
        }
        if (this.rows == 0) {
            for (int c = 0; c < dim; c++) {
                shift[c] = target[c];
            }
        }
        double batchSum = 0;
        double batchSse = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * dim;
            for (int c = 0; c < dim; c++) {
                double a = target[base + c];
                double e = a - reconstruction[base + c];
                double s = a - shift[c];
                sumShifted[c] += s;
                sumSqShifted[c] += s * s;
                sse[c] += e * e;
                batchSum += a;
                batchSse += e * e;
            }
        }
        // Official R²: one scalar mean over the whole batch, second pass for a stable variance.
        double mean = batchSum / n;
        double batchVar = 0;
        for (int t = 0; t < n; t++) {
            double d = target[t] - mean;
            batchVar += d * d;
        }
        officialSum += 1.0 - (batchSse / n) / (batchVar / n + OFFICIAL_EPS);
        batches++;
        this.rows += rows;
    }

    /** @return the official code's R², the unweighted mean of per-batch values; NaN if nothing was added. */
    public double official() {
        return batches == 0 ? Double.NaN : officialSum / batches;
    }

    /** @return 1 − Σ SSE_c / Σ SST_c over non-constant columns (see class doc); NaN if nothing was added. */
    public double varianceWeighted() {
        if (rows == 0) {
            return Double.NaN;
        }
        double sseSum = 0;
        double sstSum = 0;
        for (int c = 0; c < dim; c++) {
            double sst = sst(c);
            if (!isConstant(sst)) {
                sseSum += sse[c];
                sstSum += sst;
            }
        }
        return sstSum > 0 ? 1.0 - sseSum / sstSum : uniformAverage();
    }

    /** @return the mean over columns of the per-column R² (see class doc); NaN if nothing was added. */
    public double uniformAverage() {
        if (rows == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int c = 0; c < dim; c++) {
            sum += columnR2(c);
        }
        return sum / dim;
    }

    /** @return mean of (A − Â)² over every element of every row; NaN if nothing was added. */
    public double mse() {
        if (rows == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : sse) {
            sum += v;
        }
        return sum / ((double) rows * dim);
    }

    /** @param c column. @return R²_c with sklearn's constant-column rule. */
    public double columnR2(int c) {
        double sst = sst(c);
        if (!isConstant(sst)) {
            return 1.0 - sse[c] / sst;
        }
        return sse[c] == 0 ? 1.0 : 0.0;
    }

    /**
     * Columns whose total variance is below {@link #CONSTANT_RELATIVE_SST} of the mean column's are
     * treated as constant. Real encoders have near-constant dimensions (float noise only); dividing
     * by their ~0 variance turns the uniform average into -1e11 and says nothing about the model.
     */
    private boolean isConstant(double sst) {
        if (!(sst > 0)) {
            return true;
        }
        if (Double.isNaN(meanSst)) {
            double total = 0;
            for (int c = 0; c < dim; c++) {
                total += sst(c);
            }
            meanSst = total / dim;
        }
        return sst <= CONSTANT_RELATIVE_SST * meanSst;
    }

    /** Relative variance below which a column counts as constant (see {@link #isConstant}). */
    public static final double CONSTANT_RELATIVE_SST = 1e-9;
    private double meanSst = Double.NaN;

    /** Σ(x − μ_c)² = Σs² − (Σs)²/n for s = x − shift; clamped at 0 against rounding. */
    private double sst(int c) {
        double v = sumSqShifted[c] - sumShifted[c] * sumShifted[c] / rows;
        return Math.max(v, 0.0);
    }
}
