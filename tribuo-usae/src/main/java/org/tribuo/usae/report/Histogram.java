package org.tribuo.usae.report;

import java.util.List;
import java.util.Locale;

/** A histogram of values on a fixed range (the paper's Fig. 6a firing-entropy histogram). */
public final class Histogram {
    private static final double WIDTH = 640;
    private static final double HEIGHT = 340;

    private Histogram() {
    }

    /**
     * Bin counts: bin b covers {@code [lo + b*w, lo + (b+1)*w)}, w = (hi - lo)/bins, and the last bin
     * also holds {@code hi}. NaN values are skipped.
     *
     * @param values data.
     * @param bins   number of bins (>= 1).
     * @param lo     range start.
     * @param hi     range end ({@code > lo}).
     * @return {@code [bins]} counts.
     * @throws IllegalArgumentException naming the first value outside {@code [lo, hi]}.
     */
    public static long[] counts(double[] values, int bins, double lo, double hi) {
        if (bins < 1 || !(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("histogram needs bins >= 1 and finite lo < hi, got bins=" + bins
                    + ", range [" + lo + ", " + hi + "]");
        }
        long[] counts = new long[bins];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("histogram value " + i + " = " + v + " is outside the range [" + lo
                        + ", " + hi + "]");
            }
            int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
            counts[Math.min(b, bins - 1)]++;
        }
        return counts;
    }

    /**
     * @param values data, all inside {@code [lo, hi]} (NaN skipped).
     * @param bins   number of bins.
     * @param lo     range start.
     * @param hi     range end.
     * @param xTitle what a value is.
     * @param yTitle what a count is (e.g. "concepts").
     * @return the SVG ({@code data-chart="histogram"}, one {@code rect.mark} per bin, empty bins included), or
     * its {@link EmptyChart} form when there is no value (none given, or all NaN).
     * @throws IllegalArgumentException as {@link #counts} does.
     */
    public static String svg(double[] values, int bins, double lo, double hi, String xTitle, String yTitle) {
        long[] counts = counts(values, bins, lo, hi);
        long max = 0;
        long total = 0;
        for (long c : counts) {
            max = Math.max(max, c);
            total += c;
        }
        if (total == 0) {
            return EmptyChart.svg("histogram", WIDTH, HEIGHT, values.length == 0 ? "there are no " + yTitle + " to count."
                    : "all " + values.length + " values of " + xTitle + " are NaN.");
        }
        Axis x = Axis.of(lo, hi, false, 11);
        Axis y = Axis.of(0, Math.max(max, 1), false, 6);
        Plot plot = new Plot(WIDTH, HEIGHT, x, null, y, List.of());
        Svg svg = new Svg("histogram", plot.width, plot.height, "histogram of " + xTitle);
        plot.grid(svg);
        svg.open("g", "class", "marks", "fill", Palette.color(0));
        double w = (hi - lo) / bins;
        for (int b = 0; b < bins; b++) {
            double a = lo + b * w;
            double e = b == bins - 1 ? hi : lo + (b + 1) * w;
            double x0 = plot.px(a);
            double x1 = plot.px(e);
            double y0 = plot.py(counts[b]);
            String range = String.format(Locale.ROOT, "[%.3g, %.3g%s", a, e, b == bins - 1 ? "]" : ")");
            svg.withTitle("rect", range + ": " + counts[b] + " " + yTitle, "class", "mark bar", "x", x0 + 0.5, "y", y0,
                    "width", Math.max(0.5, x1 - x0 - 1), "height", plot.bottom - y0, "data-count", counts[b]);
        }
        svg.close("g");
        plot.axes(svg, xTitle, yTitle);
        return svg.finish();
    }
}
