package org.tribuo.usae.metrics;

import org.tribuo.usae.sae.SparseCodes;

/**
 * Accumulates one model's {@link SparseCodes} over an evaluation set (docs/metrics.md, "Concepts"): mean L0 and, per
 * latent, how many rows had a code {@code > 0} and {@code > τ}. Not thread safe.
 */
public final class SparsityAccumulator {
    /** The official analysis threshold τ ({@code uni_analysis.py:analyze(threshold=0.1)}). */
    public static final double DEFAULT_THRESHOLD = 0.1;

    private final String name;
    private final int numLatents;
    private final double threshold;
    private final long[] positive;
    private final long[] aboveThreshold;
    private long rows;
    private long nonZero;

    /** @param name model name. @param numLatents m. */
    public SparsityAccumulator(String name, int numLatents) {
        this(name, numLatents, DEFAULT_THRESHOLD);
    }

    /** @param name model name. @param numLatents m. @param threshold τ. */
    public SparsityAccumulator(String name, int numLatents, double threshold) {
        if (numLatents <= 0) {
            throw new IllegalArgumentException("numLatents must be positive, got " + numLatents);
        }
        this.name = name;
        this.numLatents = numLatents;
        this.threshold = threshold;
        this.positive = new long[numLatents];
        this.aboveThreshold = new long[numLatents];
    }

    /** @param codes one batch of this model's codes; indices must be {@code < m}. */
    public void add(SparseCodes codes) {
        float[] v = codes.values();
        int[] idx = codes.indices();
        for (int t = 0; t < v.length; t++) {
            float value = v[t];
            if (value == 0f) {
                continue; // empty TopK slot: its index is meaningless
            }
            nonZero++;
            int latent = idx[t];
            if (latent < 0 || latent >= numLatents) {
                throw new IllegalArgumentException("Latent " + latent + " outside [0, " + numLatents + ")");
            }
            // Indices within a row are distinct, so counting slots counts rows.
            if (value > 0f) {
                positive[latent]++;
            }
            if (value > threshold) {
                aboveThreshold[latent]++;
            }
        }
        rows += codes.rows();
    }

    /** @return the statistics so far (arrays are copies). */
    public SparsityReport result() {
        return new SparsityReport(name, numLatents, threshold, rows, rows == 0 ? Double.NaN : (double) nonZero / rows,
                deadFraction(positive), deadFraction(aboveThreshold), positive.clone(), aboveThreshold.clone());
    }

    private double deadFraction(long[] counts) {
        int dead = 0;
        for (long c : counts) {
            if (c == 0) {
                dead++;
            }
        }
        return (double) dead / numLatents;
    }
}
