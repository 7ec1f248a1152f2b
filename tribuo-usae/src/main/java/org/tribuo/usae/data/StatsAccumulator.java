package org.tribuo.usae.data;

/**
 * Single-pass mean / variance / min / max in double precision. Rows are folded in with Chan et
 * al.'s pairwise merge (row mean and M2 first, then merge), which avoids the cancellation of a
 * naive sum-of-squares on activations with a large mean.
 */
final class StatsAccumulator {
    private long n;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** Adds {@code len} values starting at {@code off}. */
    void add(float[] x, int off, int len) {
        if (len == 0) {
            return;
        }
        double s = 0;
        for (int i = off; i < off + len; i++) {
            float v = x[i];
            s += v;
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        double bMean = s / len;
        double bM2 = 0;
        for (int i = off; i < off + len; i++) {
            double d = x[i] - bMean;
            bM2 += d * d;
        }
        long total = n + len;
        double delta = bMean - mean;
        mean += delta * len / total;
        m2 += bM2 + delta * delta * ((double) n * len / total);
        n = total;
    }

    long count() {
        return n;
    }

    double mean() {
        return mean;
    }

    /** @return unbiased std; 0 for fewer than two values. */
    double std() {
        return n > 1 ? Math.sqrt(m2 / (n - 1)) : 0.0;
    }

    ModelStats toStats() {
        return new ModelStats(mean, std(), n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : max, n);
    }
}
