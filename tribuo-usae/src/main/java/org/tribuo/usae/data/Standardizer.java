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
     * @param mu    mean over all elements.
     * @param sigma unbiased std over all elements.
     */
    public record Estimate(double mu, double sigma) {
    }

    private Standardizer() {
    }

    /**
     * Estimates (mu, sigma) from {@code sampleRows} rows drawn without replacement, deterministic
     * for a seed; all rows when {@code sampleRows >= rows}. Accumulates in double.
     *
     * @param set        the data.
     * @param model      model position.
     * @param sampleRows rows to sample.
     * @param seed       sampling seed.
     * @return the estimate.
     */
    public static Estimate estimate(ActivationSet set, int model, int sampleRows, long seed) {
        if (sampleRows < 1) {
            throw new IllegalArgumentException("sampleRows must be >= 1, got " + sampleRows);
        }
        long[] ids = sample(set.rows(), sampleRows, seed);
        int d = set.dim(model);
        StatsAccumulator acc = new StatsAccumulator();
        float[] buf = new float[Math.min(CHUNK_ROWS, Math.max(ids.length, 1)) * d];
        for (int start = 0; start < ids.length; start += CHUNK_ROWS) {
            long[] chunk = Arrays.copyOfRange(ids, start, Math.min(ids.length, start + CHUNK_ROWS));
            set.readRows(model, chunk, buf);
            for (int q = 0; q < chunk.length * d; q++) {
                if (!Float.isFinite(buf[q])) {
                    throw new ActivationSetException(set.source(model) + ": non-finite value " + buf[q] + " at row "
                            + chunk[q / d] + ", column " + (q % d) + "; expected finite activations");
                }
            }
            acc.add(buf, 0, chunk.length * d);
        }
        if (acc.count() < 2) {
            throw new ActivationSetException(set.source(model) + ": need at least 2 values to estimate a std, found " + acc.count());
        }
        return new Estimate(acc.mean(), acc.std());
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
