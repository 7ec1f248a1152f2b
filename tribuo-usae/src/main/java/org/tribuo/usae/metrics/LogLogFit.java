package org.tribuo.usae.metrics;

/**
 * A least-squares line through (log10 x, log10 y), as USAE Fig. 6c
 * ({@code example_visualization.py:plot_cofiring_importance}): only points with x > 0, y > 0 (both finite)
 * and x >= a minimum take part; r is the Pearson correlation of the logs ({@code np.corrcoef}) and
 * {@code log10 y = slope · log10 x + intercept} is {@code np.polyfit(deg=1)}. For the co-fire fit,
 * x = co-fire count and y = aggregated energy / M.
 *
 * @param minX      smallest x a point needed to be kept (the paper's second fit: 1000 co-fires).
 * @param concepts  points (concepts) that passed the filters.
 * @param pearson   r, NaN with fewer than 2 points or a constant coordinate.
 * @param slope     least-squares slope in decades of y per decade of x, NaN with fewer than 2 points or constant x.
 * @param intercept fitted log10 y at x = 1, NaN when the slope is.
 * @param lowestX   smallest x used (NaN when none).
 * @param highestX  largest x used (NaN when none).
 */
public record LogLogFit(double minX, int concepts, double pearson, double slope, double intercept, double lowestX,
                        double highestX) {

    /**
     * @param coFires    {@code [m]} co-fire counts.
     * @param importance {@code [m]} importance (aggregated energy / M).
     * @param minCoFires smallest co-fire count kept (values below 1 act as 1: x must be > 0).
     * @return the fit.
     */
    public static LogLogFit fit(long[] coFires, double[] importance, long minCoFires) {
        double[] x = new double[coFires.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = coFires[k];
        }
        return of(x, importance, minCoFires);
    }

    /**
     * @param x    {@code [n]} values.
     * @param y    {@code [n]} values.
     * @param minX only points with x >= this take part (0 for all positive x).
     * @return the fit.
     */
    public static LogLogFit of(double[] x, double[] y, double minX) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("log-log fit: " + x.length + " x values but " + y.length
                    + " y values; expected the same count");
        }
        int n = 0;
        double sx = 0;
        double sy = 0;
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int i = 0; i < x.length; i++) {
            if (kept(x[i], y[i], minX)) {
                n++;
                sx += Math.log10(x[i]);
                sy += Math.log10(y[i]);
                lo = n == 1 ? x[i] : Math.min(lo, x[i]);
                hi = n == 1 ? x[i] : Math.max(hi, x[i]);
            }
        }
        if (n < 2) {
            return new LogLogFit(minX, n, Double.NaN, Double.NaN, Double.NaN, lo, hi);
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (kept(x[i], y[i], minX)) {
                double dx = Math.log10(x[i]) - mx;
                double dy = Math.log10(y[i]) - my;
                sxx += dx * dx;
                syy += dy * dy;
                sxy += dx * dy;
            }
        }
        double slope = sxx > 0 ? sxy / sxx : Double.NaN;
        double r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
        return new LogLogFit(minX, n, r, slope, Double.isNaN(slope) ? Double.NaN : my - slope * mx, lo, hi);
    }

    /** @return whether the point takes part in a fit with this minimum x. */
    public static boolean kept(double x, double y, double minX) {
        return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y) && x >= minX;
    }

    /** @param x a positive x. @return the fitted y at x. */
    public double predict(double x) {
        return Math.pow(10, intercept + slope * Math.log10(x));
    }
}
