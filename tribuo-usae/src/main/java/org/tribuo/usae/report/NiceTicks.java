package org.tribuo.usae.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis ticks a person can read: linear steps of 1, 2 or 5 times a power of ten (Heckbert's "nice
 * numbers"), and whole decades on log axes.
 */
public final class NiceTicks {
    private NiceTicks() {
    }

    /**
     * Ticks and the domain they span.
     *
     * @param lo     domain start (a tick), after widening to nice bounds.
     * @param hi     domain end (a tick).
     * @param step   distance between ticks (linear) or 0 for a log axis.
     * @param values tick positions in data units, ascending, {@code lo} and {@code hi} included.
     */
    public record Ticks(double lo, double hi, double step, double[] values) {
        /** @return the tick labels, formatted for the step (linear) or as decades (log). */
        public String[] labels() {
            String[] out = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = step > 0 ? formatLinear(values[i], step) : formatDecade(values[i]);
            }
            return out;
        }
    }

    /**
     * @param lo       smallest data value.
     * @param hi       largest data value.
     * @param maxTicks the most ticks wanted (at least 2).
     * @return nice ticks whose first and last tick cover {@code [lo, hi]}.
     * @throws IllegalArgumentException when a bound is not finite or {@code lo > hi}.
     */
    public static Ticks linear(double lo, double hi, int maxTicks) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("axis range must be finite with lo <= hi, got [" + lo + ", " + hi + "]");
        }
        if (maxTicks < 2) {
            throw new IllegalArgumentException("maxTicks must be >= 2, got " + maxTicks);
        }
        if (lo == hi) {
            // a flat series still needs a visible axis: widen by one unit of its magnitude
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceNumber((hi - lo) / (maxTicks - 1));
        double first = Math.floor(lo / step) * step;
        double last = Math.ceil(hi / step) * step;
        // a rounded-up step can still need more than maxTicks once the ends are widened
        while (Math.round((last - first) / step) + 1 > maxTicks) {
            step = niceNumber(step * 1.01);
            first = Math.floor(lo / step) * step;
            last = Math.ceil(hi / step) * step;
        }
        int n = (int) Math.round((last - first) / step) + 1;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            // multiply, not accumulate, so 0.1 steps do not drift to 0.30000000000000004
            values[i] = clean(first + i * step, step);
        }
        return new Ticks(values[0], values[n - 1], step, values);
    }

    /**
     * @param lo smallest positive data value.
     * @param hi largest data value ({@code >= lo}).
     * @return decade ticks {@code 10^floor(log10 lo) .. 10^ceil(log10 hi)} (at least two).
     * @throws IllegalArgumentException when {@code lo <= 0}, a bound is not finite or {@code lo > hi}.
     */
    public static Ticks log(double lo, double hi) {
        if (!(lo > 0) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("log axis range must be positive and finite with lo <= hi, got ["
                    + lo + ", " + hi + "]");
        }
        int a = (int) Math.floor(Math.log10(lo) + 1e-9);
        int b = (int) Math.ceil(Math.log10(hi) - 1e-9);
        if (b <= a) {
            b = a + 1;
        }
        List<Double> v = new ArrayList<>();
        for (int e = a; e <= b; e++) {
            v.add(Math.pow(10, e));
        }
        double[] values = v.stream().mapToDouble(Double::doubleValue).toArray();
        return new Ticks(values[0], values[values.length - 1], 0, values);
    }

    /**
     * @param x a positive span.
     * @return the smallest of 1, 2, 5, 10 times a power of ten that is {@code >= x}.
     */
    static double niceNumber(double x) {
        double exp = Math.floor(Math.log10(x));
        double pow = Math.pow(10, exp);
        double f = x / pow;
        double nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
        return nice * pow;
    }

    private static double clean(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)) + 1);
        return new BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).doubleValue() + 0.0;
    }

    /**
     * @param v    a tick value.
     * @param step the tick step.
     * @return v with just enough decimals for the step ("0.25", "100"), or in e-notation for large values.
     */
    static String formatLinear(double v, double step) {
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 1e6) {
            return formatE(v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        // a step like 2.5 is not produced, but 0.25 needs 2 decimals when step is 0.05 (ceil gives 2)
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String formatDecade(double v) {
        int e = (int) Math.round(Math.log10(v));
        if (e >= -3 && e <= 3) {
            return new BigDecimal(v).round(new java.math.MathContext(1)).stripTrailingZeros().toPlainString();
        }
        return "1e" + e;
    }

    private static String formatE(double v) {
        String s = String.format(Locale.ROOT, "%.2e", v);
        String[] parts = s.split("e");
        String mant = parts[0].replaceAll("\\.?0+$", "");
        return mant + "e" + Integer.parseInt(parts[1]);
    }
}
