package org.tribuo.usae.report;

/**
 * A numeric axis: nice ticks over the data range, linear or log10.
 *
 * @param ticks the ticks; the first and last are the axis ends.
 * @param log   log10 scale.
 */
public record Axis(NiceTicks.Ticks ticks, boolean log) {

    /**
     * @param lo       smallest data value (positive for log).
     * @param hi       largest data value.
     * @param log      log10 scale.
     * @param maxTicks most ticks on a linear axis.
     * @return the axis.
     */
    public static Axis of(double lo, double hi, boolean log, int maxTicks) {
        return new Axis(log ? NiceTicks.log(lo, hi) : NiceTicks.linear(lo, hi, maxTicks), log);
    }

    /**
     * @param values data (non-finite values, and non-positive ones on a log axis, are ignored).
     * @param log    log10 scale.
     * @param maxTicks most ticks on a linear axis.
     * @param includeZero widen a linear range to include 0 (bars, counts).
     * @return the axis over the data range.
     * @throws IllegalArgumentException when no usable value is left.
     */
    public static Axis over(double[][] values, boolean log, int maxTicks, boolean includeZero) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] vs : values) {
            for (double v : vs) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("no " + (log ? "positive finite" : "finite") + " values to draw on the axis");
        }
        if (includeZero && !log) {
            lo = Math.min(lo, 0);
            hi = Math.max(hi, 0);
        }
        return of(lo, hi, log, maxTicks);
    }

    /** @param v data value. @return its position along the axis, 0 at the first tick and 1 at the last. */
    public double fraction(double v) {
        if (log) {
            return (Math.log10(v) - Math.log10(ticks.lo())) / (Math.log10(ticks.hi()) - Math.log10(ticks.lo()));
        }
        return (v - ticks.lo()) / (ticks.hi() - ticks.lo());
    }

    /** @return minor tick positions: 2..9 times each decade on a log axis, none on a linear axis. */
    public double[] minorTicks() {
        if (!log) {
            return new double[0];
        }
        double[] t = ticks.values();
        double[] out = new double[(t.length - 1) * 8];
        int n = 0;
        for (int i = 0; i + 1 < t.length; i++) {
            for (int m = 2; m <= 9; m++) {
                out[n++] = t[i] * m;
            }
        }
        return out;
    }
}
