package org.tribuo.usae.metrics;

import java.util.Arrays;

/**
 * Summary of matched cosines (USAE Fig. 7): the fraction above a threshold, the area under the
 * matched-fraction vs threshold curve, quantiles and a histogram.
 *
 * <p>AUC: with f(t) = fraction of concepts whose matched cosine is {@code > t}, the area over
 * t in [0, 1] is {@code ∫ f(t) dt = mean_k clamp(cos_k, 0, 1)} (exact, no grid). The paper's random
 * baseline AUC 0.13 is the mean matched cosine of random dictionaries, consistent with this reading.
 *
 * @param count          cosines summarised.
 * @param threshold      the match threshold (paper: 0.5).
 * @param fractionAbove  fraction with cosine {@code > threshold}.
 * @param auc            area under f(t) over t in [0, 1].
 * @param mean           mean cosine.
 * @param quantileLevels {@code [q]} levels in [0, 1].
 * @param quantiles      {@code [q]} values, linear interpolation between order statistics (numpy's default).
 * @param binEdges       {@code [bins + 1]} equal-width edges over [-1, 1].
 * @param histogram      {@code [bins]} counts; bin b holds {@code edges[b] <= c < edges[b+1]}, the last bin also c = 1.
 */
public record CosineDistribution(int count, double threshold, double fractionAbove, double auc, double mean,
                                 double[] quantileLevels, double[] quantiles, double[] binEdges, long[] histogram) {
    /** Quantile levels reported by default. */
    public static final double[] DEFAULT_LEVELS = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};

    /**
     * @param cosines   values in [-1, 1] (slightly outside is clamped into the end bins).
     * @param threshold match threshold.
     * @param bins      histogram bins (>= 1).
     * @return the summary.
     */
    public static CosineDistribution of(double[] cosines, double threshold, int bins) {
        if (cosines.length == 0) {
            throw new IllegalArgumentException("No cosines to summarise, expected at least one matched concept");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        int n = cosines.length;
        double above = 0;
        double area = 0;
        double sum = 0;
        long[] hist = new long[bins];
        for (double c : cosines) {
            if (Double.isNaN(c)) {
                throw new IllegalArgumentException("A matched cosine is NaN");
            }
            above += c > threshold ? 1 : 0;
            area += Math.max(0, Math.min(1, c));
            sum += c;
            int b = (int) Math.floor((c + 1) / 2 * bins);
            hist[Math.max(0, Math.min(bins - 1, b))]++;
        }
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = -1 + 2.0 * b / bins;
        }
        double[] sorted = cosines.clone();
        Arrays.sort(sorted);
        double[] q = new double[DEFAULT_LEVELS.length];
        for (int t = 0; t < q.length; t++) {
            double pos = DEFAULT_LEVELS[t] * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(n - 1, lo + 1);
            q[t] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
        return new CosineDistribution(n, threshold, above / n, area / n, sum / n, DEFAULT_LEVELS.clone(), q, edges, hist);
    }
}
