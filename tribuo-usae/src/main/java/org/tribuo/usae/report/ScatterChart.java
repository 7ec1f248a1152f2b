package org.tribuo.usae.report;

import org.tribuo.usae.metrics.LogLogFit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A log-log scatter with fitted lines (the paper's Fig. 6c: co-fire count against energy): points
 * with x > 0 and y > 0 are drawn, a line is fitted through all of them and, optionally, through the
 * subset with x >= a threshold; the legend gives r and the slope of each fit.
 */
public final class ScatterChart {
    private static final double WIDTH = 720;
    private static final double HEIGHT = 460;

    private ScatterChart() {
    }

    /**
     * @param x          {@code [n]} x values.
     * @param y          {@code [n]} y values.
     * @param labels     {@code [n]} point names for tooltips (e.g. "concept 17"), or null.
     * @param subsetMinX also fit the points with x >= this; NaN for no second fit.
     * @param xTitle     x axis title.
     * @param yTitle     y axis title.
     * @return the SVG ({@code data-chart="scatter"}, one {@code circle.mark} per drawn point,
     * one {@code path.fit} per fit with at least two points), or its {@link EmptyChart} form when no point
     * has x > 0 and y > 0 (e.g. no concept co-fires on a few rows).
     * @throws IllegalArgumentException when the lengths differ.
     */
    public static String logLog(double[] x, double[] y, String[] labels, double subsetMinX, String xTitle, String yTitle) {
        if (x.length != y.length || (labels != null && labels.length != x.length)) {
            throw new IllegalArgumentException("scatter: " + x.length + " x values, " + y.length + " y values"
                    + (labels == null ? "" : ", " + labels.length + " labels") + "; they must match");
        }
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (LogLogFit.kept(x[i], y[i], 0)) {
                px.add(x[i]);
                py.add(y[i]);
            }
        }
        if (px.isEmpty()) {
            return EmptyChart.svg("scatter", WIDTH, HEIGHT, "none of the " + x.length + " points has both " + xTitle
                    + " > 0 and " + yTitle + " > 0, and a log-log chart can only place positive values.");
        }
        LogLogFit all = LogLogFit.of(x, y, 0);
        LogLogFit subset = Double.isNaN(subsetMinX) ? null : LogLogFit.of(x, y, subsetMinX);
        List<Plot.LegendEntry> legend = new ArrayList<>();
        legend.add(new Plot.LegendEntry(Palette.color(0), "dot", "points (n = " + all.concepts() + ")"));
        legend.add(new Plot.LegendEntry(Palette.color(1), "line", "fit, all: " + describe(all)));
        if (subset != null) {
            legend.add(new Plot.LegendEntry(Palette.color(3), "line",
                    "fit, x \u2265 " + compact(subsetMinX) + ": " + describe(subset)));
        }
        Axis ax = Axis.over(new double[][]{px.stream().mapToDouble(Double::doubleValue).toArray()}, true, 0, false);
        Axis ay = Axis.over(new double[][]{py.stream().mapToDouble(Double::doubleValue).toArray()}, true, 0, false);
        Plot plot = new Plot(WIDTH, HEIGHT, ax, null, ay, legend, true);
        Svg svg = new Svg("scatter", plot.width, plot.height, yTitle + " against " + xTitle + ", log-log");
        plot.grid(svg);
        svg.open("g", "class", "marks", "fill", Palette.color(0), "fill-opacity", 0.55);
        for (int i = 0; i < x.length; i++) {
            if (!LogLogFit.kept(x[i], y[i], 0)) {
                continue;
            }
            String name = labels == null ? "point " + i : labels[i];
            svg.withTitle("circle", String.format(Locale.ROOT, "%s: x = %.4g, y = %.4g", name, x[i], y[i]),
                    "class", "mark point", "cx", plot.px(x[i]), "cy", plot.py(y[i]), "r", 3);
        }
        svg.close("g");
        fitLine(svg, plot, all, Palette.color(1), "fit all");
        if (subset != null) {
            fitLine(svg, plot, subset, Palette.color(3), "fit subset");
        }
        plot.axes(svg, xTitle + " (log scale)", yTitle + " (log scale)");
        return svg.finish();
    }

    private static void fitLine(Svg svg, Plot plot, LogLogFit fit, String color, String name) {
        if (Double.isNaN(fit.slope())) {
            return;
        }
        double lo = Math.max(fit.lowestX(), plot.x.ticks().lo());
        double hi = Math.min(fit.highestX(), plot.x.ticks().hi());
        // clip the line to the plot's y range so a steep fit does not run outside the frame
        double ylo = plot.y.ticks().lo();
        double yhi = plot.y.ticks().hi();
        double a = lo, b = hi;
        if (fit.slope() != 0) {
            double xAtLo = Math.pow(10, (Math.log10(ylo) - fit.intercept()) / fit.slope());
            double xAtHi = Math.pow(10, (Math.log10(yhi) - fit.intercept()) / fit.slope());
            a = Math.max(a, Math.min(xAtLo, xAtHi));
            b = Math.min(b, Math.max(xAtLo, xAtHi));
        }
        if (!(a < b)) {
            return;
        }
        svg.withTitle("path", name + ": " + describe(fit), "class", "fit", "fill", "none", "stroke", color, "stroke-width", 2.5,
                "d", "M" + Svg.num(plot.px(a)) + " " + Svg.num(plot.py(fit.predict(a))) + "L" + Svg.num(plot.px(b)) + " "
                        + Svg.num(plot.py(fit.predict(b))));
    }

    private static String compact(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String describe(LogLogFit fit) {
        if (fit.concepts() < 2 || Double.isNaN(fit.slope())) {
            return "too few points (n = " + fit.concepts() + ")";
        }
        return String.format(Locale.ROOT, "r = %.2f, slope = %.2f, n = %d", fit.pearson(), fit.slope(), fit.concepts());
    }
}
