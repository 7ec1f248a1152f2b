package org.tribuo.usae.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The scalar standardisation of the official USAE code: one mean and one unbiased std per model
 * over all sampled rows and all channels, applied as {@code (x - mu) / (sigma + 1e-5)}.
 */
public final class Standardizer {
    /** Added to sigma so constant activations do not divide by zero. */
    public static final double EPS = 1e-5;
    private static final int CHUNK_ROWS = 1024;
    /**
     * The smallest sigma {@link #estimate} accepts. Standardised values spread by about
     * {@code sigma / (sigma + 1e-5)}, so below 1e-5 they shrink with sigma instead of being brought to
     * unit scale. Measured on two models (one of unit scale, one scaled down) for 60 steps, the
     * AFFINE_FAST recipe's loss overflows from sigma 1e-15 on (standardised values ~1e-10) and
     * ALIGNED's and FAST's from 1e-26 on; 1e-12 keeps a factor 1000 from the first failure. Real
     * activations have sigma around 1e-2 to 1e2; subnormal-only data (below 1.2e-38) is far below.
     */
    public static final double MIN_SIGMA = 1e-12;

    /**
     * @param mu          mean over all elements.
     * @param sigma       unbiased std over all elements.
     * @param columnMeans {@code [d]} each column's mean over the sampled rows (raw scale).
     */
    public record Estimate(double mu, double sigma, double[] columnMeans) {
        /** @return {@code [d]} the column means standardised like the data: {@code (mean_c - mu) / (sigma + 1e-5)}. */
        public float[] standardisedColumnMeans() {
            float[] out = new float[columnMeans.length];
            double inv = 1.0 / (sigma + EPS);
            for (int c = 0; c < out.length; c++) {
                out[c] = (float) ((columnMeans[c] - mu) * inv);
            }
            return out;
        }
    }

    private Standardizer() {
    }

    /** {@link #estimate(ActivationSet, int, long, int, long)} over all of the set's rows. */
    public static Estimate estimate(ActivationSet set, int model, int sampleRows, long seed) {
        return estimate(set, model, set.rows(), sampleRows, seed);
    }

    /**
     * Estimates (mu, sigma) and the column means from {@code sampleRows} of the first {@code rows} rows
     * (the training rows: held-out rows stay unseen) drawn without replacement, deterministic for a seed;
     * all of them when {@code sampleRows >= rows}. Accumulates in double.
     *
     * @param set        the data.
     * @param model      model position.
     * @param rows       rows {@code [0, rows)} to sample from.
     * @param sampleRows rows to sample.
     * @param seed       sampling seed.
     * @return the estimate.
     * @throws ActivationSetException naming {@code set.source(model)} for a non-finite value (with row
     *     and column), or a sigma that is 0, non-finite or below {@link #MIN_SIGMA}.
     */
    public static Estimate estimate(ActivationSet set, int model, long rows, int sampleRows, long seed) {
        if (sampleRows < 1) {
            throw new IllegalArgumentException("sampleRows must be >= 1, got " + sampleRows);
        }
        if (rows < 1 || rows > set.rows()) {
            throw new IllegalArgumentException("rows must be in [1, " + set.rows() + "], got " + rows);
        }
        long[] ids = sample(rows, sampleRows, seed);
        int d = set.dim(model);
        StatsAccumulator acc = new StatsAccumulator();
        double[] columnSums = new double[d];
        float[] buf = new float[Math.min(CHUNK_ROWS, Math.max(ids.length, 1)) * d];
        for (int start = 0; start < ids.length; start += CHUNK_ROWS) {
            long[] chunk = Arrays.copyOfRange(ids, start, Math.min(ids.length, start + CHUNK_ROWS));
            set.readRows(model, chunk, buf);
            for (int q = 0; q < chunk.length * d; q++) {
                if (!Float.isFinite(buf[q])) {
                    throw new ActivationSetException(ActivationValueCheck.nonFiniteMessage(set.source(model), buf[q],
                            chunk[q / d], q % d));
                }
            }
            acc.add(buf, 0, chunk.length * d);
            for (int q = 0; q < chunk.length * d; q++) {
                columnSums[q % d] += buf[q];
            }
        }
        if (acc.count() < 2) {
            throw new ActivationSetException(set.source(model) + ": need at least 2 values to estimate a std, found " + acc.count());
        }
        requireTrainableSigma(set.source(model), acc, ids.length);
        for (int c = 0; c < d; c++) {
            columnSums[c] /= ids.length;
        }
        return new Estimate(acc.mean(), acc.std(), columnSums);
    }

    /**
     * Refuses a model whose activations barely vary: its standardised activations are (nearly) all
     * 0, and training would stop at a NaN or infinite loss with a "diverged" error that names
     * neither the file nor the cause.
     */
    private static void requireTrainableSigma(String source, StatsAccumulator acc, int sampledRows) {
        double sigma = acc.std();
        String over = " over " + sampledRows + " sampled rows";
        if (sigma == 0) {
            throw new ActivationSetException(source + ": activations are constant (sigma 0" + over + ", every value " + (float) acc.mean()
                    + "); a model whose activations do not vary cannot be trained on");
        }
        if (!Double.isFinite(sigma)) {
            throw new ActivationSetException(source + ": sigma is " + sigma + over + "; expected a finite spread of activations");
        }
        if (sigma < MIN_SIGMA) {
            throw new ActivationSetException(source + ": sigma " + sigma + over + " is below " + MIN_SIGMA
                    + " (near-zero or subnormal activations); expected activations that vary by at least " + MIN_SIGMA
                    + ": rescale them");
        }
    }

    /**
     * Sorted distinct row ids; Floyd's algorithm draws k of n without replacement in O(k).
     * Sorting keeps reads sequential on memory-mapped files.
     */
    static long[] sample(long rows, int k, long seed) {
        if (k >= rows) {
            long[] all = new long[Math.toIntExact(rows)];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Set<Long> chosen = new HashSet<>(k * 2);
        for (long j = rows - k; j < rows; j++) {
            long t = rng.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /**
     * Standardises in place: {@code x = (x - mu) / (sigma + 1e-5)}.
     *
     * @param x     values.
     * @param mu    mean.
     * @param sigma std.
     */
    public static void apply(float[] x, double mu, double sigma) {
        double inv = 1.0 / (sigma + EPS);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - mu) * inv);
        }
    }
}
