package org.tribuo.usae.metrics;

/**
 * The co-fire vs importance fit of USAE Fig. 6c ({@code example_visualization.py:plot_cofiring_importance}):
 * over concepts with x = co-fire count > 0, y = aggregated energy / M > 0 and x >= {@code minCoFires},
 * the Pearson r of (log10 x, log10 y) ({@code np.corrcoef}) and the least-squares line
 * {@code log10 y = slope · log10 x + intercept} ({@code np.polyfit(deg=1)}).
 *
 * @param minCoFires smallest co-fire count kept (1 = all concepts with any co-fire; the paper also uses 1000).
 * @param concepts   concepts that passed the filters.
 * @param pearson    r, NaN with fewer than 2 concepts or a constant coordinate.
 * @param slope      least-squares slope, NaN with fewer than 2 concepts or constant x.
 * @param intercept  least-squares intercept, NaN when the slope is.
 */
public record LogLogFit(long minCoFires, int concepts, double pearson, double slope, double intercept) {

    /**
     * @param coFires    {@code [m]} co-fire counts.
     * @param importance {@code [m]} importance (aggregated energy / M).
     * @param minCoFires smallest co-fire count kept (values below 1 act as 1: x must be > 0).
     * @return the fit.
     */
    public static LogLogFit fit(long[] coFires, double[] importance, long minCoFires) {
        if (coFires.length != importance.length) {
            throw new IllegalArgumentException("coFires has " + coFires.length + " concepts, importance has "
                    + importance.length + "; expected the same m");
        }
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int k = 0; k < coFires.length; k++) {
            if (kept(coFires[k], importance[k], minCoFires)) {
                n++;
                sx += Math.log10(coFires[k]);
                sy += Math.log10(importance[k]);
            }
        }
        if (n < 2) {
            return new LogLogFit(minCoFires, n, Double.NaN, Double.NaN, Double.NaN);
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int k = 0; k < coFires.length; k++) {
            if (kept(coFires[k], importance[k], minCoFires)) {
                double dx = Math.log10(coFires[k]) - mx;
                double dy = Math.log10(importance[k]) - my;
                sxx += dx * dx;
                syy += dy * dy;
                sxy += dx * dy;
            }
        }
        double slope = sxx > 0 ? sxy / sxx : Double.NaN;
        double r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
        return new LogLogFit(minCoFires, n, r, slope, Double.isNaN(slope) ? Double.NaN : my - slope * mx);
    }

    private static boolean kept(long x, double y, long minCoFires) {
        return x > 0 && y > 0 && x >= minCoFires;
    }
}
