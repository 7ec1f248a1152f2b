package org.tribuo.usae.report;

/**
 * Least-squares line through (log10 x, log10 y), as the paper's Fig. 6c: only points with x > 0 and
 * y > 0 (and x >= minX) take part; r is the Pearson correlation of the logs and the slope/intercept
 * are those of {@code np.polyfit(log10 x, log10 y, 1)}.
 *
 * @param n         points used.
 * @param r         Pearson correlation of the logs (NaN when n < 2 or a log is constant).
 * @param slope     fitted slope in decades of y per decade of x (NaN when n < 2 or x is constant).
 * @param intercept fitted log10 y at x = 1.
 * @param minX      smallest x used (NaN when n = 0).
 * @param maxX      largest x used.
 */
public record LogLogFit(int n, double r, double slope, double intercept, double minX, double maxX) {

    /**
     * @param x        {@code [n]} values.
     * @param y        {@code [n]} values.
     * @param minXKept only points with x >= this take part (0 for all).
     * @return the fit.
     */
    public static LogLogFit of(double[] x, double[] y, double minXKept) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("log-log fit: " + x.length + " x values but " + y.length + " y values");
        }
        int n = 0;
        double sx = 0, sy = 0, lo = Double.NaN, hi = Double.NaN;
        for (int i = 0; i < x.length; i++) {
            if (kept(x[i], y[i], minXKept)) {
                n++;
                sx += Math.log10(x[i]);
                sy += Math.log10(y[i]);
                lo = n == 1 ? x[i] : Math.min(lo, x[i]);
                hi = n == 1 ? x[i] : Math.max(hi, x[i]);
            }
        }
        if (n < 2) {
            return new LogLogFit(n, Double.NaN, Double.NaN, Double.NaN, lo, hi);
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (kept(x[i], y[i], minXKept)) {
                double dx = Math.log10(x[i]) - mx;
                double dy = Math.log10(y[i]) - my;
                sxx += dx * dx;
                syy += dy * dy;
                sxy += dx * dy;
            }
        }
        double slope = sxx > 0 ? sxy / sxx : Double.NaN;
        double r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
        return new LogLogFit(n, r, slope, my - (Double.isNaN(slope) ? 0 : slope) * mx, lo, hi);
    }

    static boolean kept(double x, double y, double minX) {
        return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y) && x >= minX;
    }

    /** @param x a positive x. @return the fitted y at x. */
    public double predict(double x) {
        return Math.pow(10, intercept + slope * Math.log10(x));
    }
}
