package org.tribuo.usae.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One streaming pass over every value of a row range of an activation set, before training, that
 * refuses values training cannot use and reports columns that carry no information. It reads rows
 * in blocks of float32 through {@link ActivationSet#readRows} (never Tribuo examples), blocks in
 * parallel, and holds one block per worker thread plus a small sample per model.
 *
 * <p>Per model ({@code [rows x dim]}) it refuses, naming the file ({@link ActivationSet#source}), the
 * row, the column and the value, the first (lowest row, then column) of:
 * <ul>
 *   <li>a non-finite value (NaN or infinity);</li>
 *   <li>a value with {@code |x| > }{@value #MAX_MAGNITUDE}: its square (about 1e36) is within a few
 *       hundred of float32's largest value (3.4e38), so the float32 sums of squares in the loss and
 *       its normalisation overflow to infinity;</li>
 *   <li>a value more than {@value #MAX_ROBUST_SCALES} robust scales from the model's median. The
 *       median and the robust scale come from a seeded sample of rows and are robust: a handful of
 *       corrupt values cannot move them. The robust scale is the median absolute deviation from the
 *       median divided by 0.6745, i.e. the standard deviation for normally distributed values; for
 *       sparse activations (half or more of the values equal to the median) the 75th, 90th or 99th
 *       percentile of the absolute deviation is used instead, divided by the matching normal quantile.
 *       The limit is loose on purpose: real networks have "massive activations" (a few dimensions of
 *       a few tokens thousands of times, at most about 1e5 times, larger than the median magnitude)
 *       that are genuine and must train; a million robust scales is beyond any of them and is what
 *       a corrupt file, a wrong dtype or an uninitialised buffer looks like. When 99% or more of the
 *       sampled values equal the median, there is no robust scale and only the magnitude limit applies.</li>
 * </ul>
 * A column whose values are all equal over the range is NOT an error (real encoders have such
 * dimensions); it is reported through the warning consumer, naming the file, how many columns and
 * the first few indices. A model constant in every column is refused later, by the trainer's
 * {@link Standardizer}.
 */
public final class ActivationValueCheck {
    /** Largest accepted |value|; see the class comment. */
    public static final double MAX_MAGNITUDE = 1e18;
    /** Largest accepted distance from the median, in robust scales; see the class comment. */
    public static final double MAX_ROBUST_SCALES = 1e6;
    /** Seed of the row sample for the median and robust scale when none is given. */
    public static final long DEFAULT_SEED = 17L;
    /** Sample rows per model for the median and scale: up to this many... */
    static final int MAX_SAMPLE_ROWS = 4096;
    /** ...but at most about this many values, so wide models sort at most 1 MiB of floats. */
    static final int MAX_SAMPLE_VALUES = 1 << 18;
    /** Values per streamed block (1 MiB of float32), so a block's memory does not grow with width. */
    static final int BLOCK_VALUES = 1 << 18;
    /** Constant columns listed by index in a warning; the rest are counted. */
    static final int LISTED_COLUMNS = 8;
    /** Percentiles of |x - median| tried for the robust scale, and the same percentiles of |N(0, 1)|. */
    private static final double[] SCALE_PERCENTILES = {0.5, 0.75, 0.9, 0.99};
    private static final double[] NORMAL_ABS_QUANTILES = {0.6744897501960817, 1.1503493803760079, 1.6448536269514722,
            2.5758293035489004};

    private ActivationValueCheck() {
    }

    /**
     * What the check found for one model.
     *
     * @param name            model name.
     * @param source          its file, as {@link ActivationSet#source} names it.
     * @param dim             its width.
     * @param median          median of the sampled values.
     * @param robustScale     robust scale of the sampled values (see the class comment); 0 when 99% or
     *                        more of them equal the median, and only the magnitude limit applied.
     * @param maxScales       largest {@code |x - median| / robustScale} over the checked rows; NaN when
     *                        robustScale is 0.
     * @param constantColumns indices of the columns whose values are all equal over the checked rows,
     *                        ascending (a fresh array each call).
     */
    public record ModelResult(String name, String source, int dim, double median, double robustScale, double maxScales,
                              int[] constantColumns) {
        /** Copies the column indices. */
        public ModelResult {
            constantColumns = constantColumns.clone();
        }

        @Override
        public int[] constantColumns() {
            return constantColumns.clone();
        }
    }

    /**
     * What the check found.
     *
     * @param fromRow first checked row.
     * @param toRow   end of the checked rows (exclusive).
     * @param models  one result per model, in set order.
     */
    public record Result(long fromRow, long toRow, List<ModelResult> models) {
        /** Copies the list. */
        public Result {
            models = List.copyOf(models);
        }

        /** @return rows checked in every model. */
        public long rowsChecked() {
            return toRow - fromRow;
        }
    }

    /**
     * Checks every row of the set with the default sample seed.
     *
     * @param set      the data (not closed).
     * @param warnings receives one line per model with constant columns.
     * @return the result.
     * @throws ActivationSetException naming file, row, column and value of the first refused value.
     */
    public static Result check(ActivationSet set, Consumer<String> warnings) {
        return check(set, 0, set.rows(), DEFAULT_SEED, warnings);
    }

    /**
     * Checks rows {@code [fromRow, toRow)} of every model.
     *
     * @param set      the data (not closed).
     * @param fromRow  first row.
     * @param toRow    end row, exclusive; {@code fromRow < toRow <= set.rows()}.
     * @param seed     seed of the row sample for the median and robust scale.
     * @param warnings receives one line per model with constant columns.
     * @return the result.
     * @throws ActivationSetException naming file, row, column and value of the first refused value.
     */
    public static Result check(ActivationSet set, long fromRow, long toRow, long seed, Consumer<String> warnings) {
        Objects.requireNonNull(warnings, "warnings");
        if (fromRow < 0 || fromRow >= toRow || toRow > set.rows()) {
            throw new IllegalArgumentException("rows [" + fromRow + ", " + toRow + ") are not a non-empty range within [0, "
                    + set.rows() + ")");
        }
        List<ModelResult> results = new ArrayList<>();
        for (int m = 0; m < set.numModels(); m++) {
            ModelResult r = checkModel(set, m, fromRow, toRow, seed + m);
            // over a single row every column is trivially constant
            if (r.constantColumns.length > 0 && toRow - fromRow > 1) {
                warnings.accept(constantColumnsWarning(r, fromRow, toRow));
            }
            results.add(r);
        }
        return new Result(fromRow, toRow, results);
    }

    /** The message for a non-finite value; the standardiser's sample check says the same. */
    static String nonFiniteMessage(String source, float value, long row, int column) {
        return source + ": non-finite value " + value + " at row " + row + ", column " + column
                + "; expected finite activations";
    }

    private static ModelResult checkModel(ActivationSet set, int model, long fromRow, long toRow, long seed) {
        int dim = set.dim(model);
        String source = set.source(model);
        double[] medianAndScale = medianAndScale(set, model, fromRow, toRow, seed);
        double median = medianAndScale[0];
        double scale = medianAndScale[1];
        // Outside [low, high] is more than MAX_ROBUST_SCALES scales from the median; with no scale only the magnitude limit applies.
        double low = scale > 0 ? Math.max(median - MAX_ROBUST_SCALES * scale, -MAX_MAGNITUDE) : -MAX_MAGNITUDE;
        double high = scale > 0 ? Math.min(median + MAX_ROBUST_SCALES * scale, MAX_MAGNITUDE) : MAX_MAGNITUDE;
        int blockRows = Math.max(1, BLOCK_VALUES / dim);
        int blocks = Math.toIntExact((toRow - fromRow + blockRows - 1) / blockRows);
        // A block starting after a refused row cannot hold the first refused value, so it is skipped.
        AtomicLong firstBadRow = new AtomicLong(Long.MAX_VALUE);
        BlockSummary total = IntStream.range(0, blocks).parallel()
                .mapToObj(b -> {
                    long start = fromRow + (long) b * blockRows;
                    if (start > firstBadRow.get()) {
                        return null;
                    }
                    BlockSummary s = scanBlock(set, model, start, Math.min(toRow, start + blockRows), median, low, high);
                    if (s.badRow >= 0) {
                        firstBadRow.accumulateAndGet(s.badRow, Math::min);
                    }
                    return s;
                })
                .reduce(null, BlockSummary::merge, BlockSummary::merge);
        if (total.badRow >= 0) {
            throw new ActivationSetException(refusal(source, total, median, scale));
        }
        List<Integer> constant = new ArrayList<>();
        for (int c = 0; c < dim; c++) {
            if (total.colMin[c] == total.colMax[c]) {
                constant.add(c);
            }
        }
        double maxScales = scale > 0 ? total.maxDeviation / scale : Double.NaN;
        return new ModelResult(set.modelNames().get(model), source, dim, median, scale, maxScales,
                constant.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String refusal(String source, BlockSummary s, double median, double scale) {
        float v = s.badValue;
        if (!Float.isFinite(v)) {
            return nonFiniteMessage(source, v, s.badRow, s.badColumn);
        }
        String at = source + ": value " + v + " at row " + s.badRow + ", column " + s.badColumn;
        if (Math.abs(v) > MAX_MAGNITUDE) {
            return at + " exceeds " + MAX_MAGNITUDE + " in magnitude, where float32 squares overflow in training; "
                    + "expected activations of magnitude at most " + MAX_MAGNITUDE;
        }
        return at + " is " + String.format("%.3g", Math.abs(v - median) / scale) + " robust scales from the model's median "
                + String.format("%.4g", median) + " (robust scale " + String.format("%.4g", scale) + "); expected at most "
                + MAX_ROBUST_SCALES + " (genuine massive activations stay far below): a corrupt value?";
    }

    /** Running summary of a row block; {@code badRow >= 0} once a refused value was seen. */
    private static final class BlockSummary {
        final float[] colMin;
        final float[] colMax;
        double maxDeviation;
        long badRow = -1;
        int badColumn;
        float badValue;

        BlockSummary(int dim) {
            colMin = new float[dim];
            colMax = new float[dim];
            Arrays.fill(colMin, Float.POSITIVE_INFINITY);
            Arrays.fill(colMax, Float.NEGATIVE_INFINITY);
        }

        /** Merges two summaries (either may be null: a skipped block); keeps the refusal with the lower row. */
        static BlockSummary merge(BlockSummary a, BlockSummary b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            for (int c = 0; c < a.colMin.length; c++) {
                a.colMin[c] = Math.min(a.colMin[c], b.colMin[c]);
                a.colMax[c] = Math.max(a.colMax[c], b.colMax[c]);
            }
            a.maxDeviation = Math.max(a.maxDeviation, b.maxDeviation);
            if (b.badRow >= 0 && (a.badRow < 0 || b.badRow < a.badRow)) {
                a.badRow = b.badRow;
                a.badColumn = b.badColumn;
                a.badValue = b.badValue;
            }
            return a;
        }
    }

    /** Reads rows {@code [start, end)} in one block and summarises them; stops at the first refused value. */
    private static BlockSummary scanBlock(ActivationSet set, int model, long start, long end, double median,
                                          double low, double high) {
        int dim = set.dim(model);
        int n = (int) (end - start);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = start + i;
        }
        float[] x = new float[n * dim];
        set.readRows(model, ids, x);
        BlockSummary s = new BlockSummary(dim);
        float[] colMin = s.colMin;
        float[] colMax = s.colMax;
        double maxDeviation = 0;
        for (int r = 0, q = 0; r < n; r++) {
            for (int c = 0; c < dim; c++, q++) {
                float v = x[q];
                // NaN fails both comparisons, so "not inside" catches it with the out-of-range values.
                if (!(v >= low && v <= high)) {
                    s.badRow = start + r;
                    s.badColumn = c;
                    s.badValue = v;
                    s.maxDeviation = maxDeviation;
                    return s;
                }
                maxDeviation = Math.max(maxDeviation, Math.abs(v - median));
                colMin[c] = Math.min(colMin[c], v);
                colMax[c] = Math.max(colMax[c], v);
            }
        }
        s.maxDeviation = maxDeviation;
        return s;
    }

    /**
     * Median and robust scale of the finite values of a seeded row sample (non-finite values are
     * left to the full pass, which names the first one).
     *
     * @return {median, robust scale (0 when none)}.
     */
    static double[] medianAndScale(ActivationSet set, int model, long fromRow, long toRow, long seed) {
        int dim = set.dim(model);
        int sampleRows = Math.max(1, Math.min(MAX_SAMPLE_ROWS, MAX_SAMPLE_VALUES / dim));
        long[] ids = Standardizer.sample(toRow - fromRow, sampleRows, seed);
        for (int i = 0; i < ids.length; i++) {
            ids[i] += fromRow;
        }
        float[] values = new float[Math.multiplyExact(ids.length, dim)];
        set.readRows(model, ids, values);
        int finite = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                values[finite++] = v;
            }
        }
        if (finite == 0) {
            return new double[]{0, 0};
        }
        Arrays.sort(values, 0, finite);
        double median = percentile(values, finite, 0.5);
        for (int i = 0; i < finite; i++) {
            values[i] = (float) Math.abs(values[i] - median);
        }
        Arrays.sort(values, 0, finite);
        for (int k = 0; k < SCALE_PERCENTILES.length; k++) {
            double deviation = percentile(values, finite, SCALE_PERCENTILES[k]);
            if (deviation > 0) {
                return new double[]{median, deviation / NORMAL_ABS_QUANTILES[k]};
            }
        }
        return new double[]{median, 0};
    }

    /** Linear-interpolated percentile of the first {@code n} (sorted) values. */
    private static double percentile(float[] sorted, int n, double p) {
        double pos = p * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * ((double) sorted[hi] - sorted[lo]);
    }

    private static String constantColumnsWarning(ModelResult r, long fromRow, long toRow) {
        int[] cols = r.constantColumns;
        StringBuilder b = new StringBuilder(r.source).append(": warning: ");
        b.append(cols.length == r.dim ? "all " + r.dim + " columns are" : cols.length + " of " + r.dim + " columns "
                + (cols.length == 1 ? "is" : "are"));
        b.append(" constant over rows [").append(fromRow).append(", ").append(toRow).append(") (column")
                .append(cols.length == 1 ? " " : "s ");
        for (int i = 0; i < Math.min(cols.length, LISTED_COLUMNS); i++) {
            b.append(i == 0 ? "" : ", ").append(cols[i]);
        }
        if (cols.length > LISTED_COLUMNS) {
            b.append(", ... ").append(cols.length - LISTED_COLUMNS).append(" more");
        }
        return b.append("); they carry no information, training goes on").toString();
    }
}
