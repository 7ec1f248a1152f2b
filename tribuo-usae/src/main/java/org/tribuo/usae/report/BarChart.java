package org.tribuo.usae.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Grouped bars: one group per category, one bar per series (e.g. dead latents per model, raw and after tau). */
public final class BarChart {
    private BarChart() {
    }

    /**
     * One bar per category.
     *
     * @param name   legend text.
     * @param values {@code [categories]} finite values.
     */
    public record Series(String name, double[] values) {
    }

    /**
     * @param categories group labels.
     * @param series     bar series, each with one value per category.
     * @param xTitle     what the categories are.
     * @param yTitle     what a value is.
     * @return the SVG ({@code data-chart="bar"}, one {@code rect.mark} per category and series).
     * @throws IllegalArgumentException naming the series whose length or values are wrong.
     */
    public static String svg(String[] categories, List<Series> series, String xTitle, String yTitle) {
        if (categories.length == 0 || series.isEmpty()) {
            throw new IllegalArgumentException("bar chart needs at least one category and one series");
        }
        for (Series s : series) {
            if (s.values().length != categories.length) {
                throw new IllegalArgumentException("bar series '" + s.name() + "' has " + s.values().length
                        + " values, expected " + categories.length + " (one per category)");
            }
            for (int i = 0; i < s.values().length; i++) {
                if (!Double.isFinite(s.values()[i])) {
                    throw new IllegalArgumentException("bar series '" + s.name() + "' value for '" + categories[i]
                            + "' is " + s.values()[i] + ", expected a finite number");
                }
            }
        }
        List<Plot.LegendEntry> legend = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            legend.add(new Plot.LegendEntry(Palette.color(s), "box", series.get(s).name()));
        }
        double[][] all = series.stream().map(Series::values).toArray(double[][]::new);
        Axis y = Axis.over(all, false, 6, true);
        Plot plot = new Plot(Math.max(480, Math.min(900, 140 + categories.length * series.size() * 36.0)), 340, null,
                categories, y, legend);
        Svg svg = new Svg("bar", plot.width, plot.height, yTitle + " by " + xTitle);
        plot.grid(svg);
        svg.open("g", "class", "marks");
        double band = plot.bandWidth();
        double inner = band * 0.8;
        double barW = inner / series.size();
        double zero = plot.py(0);
        for (int c = 0; c < categories.length; c++) {
            double x0 = plot.bandStart(c) + (band - inner) / 2;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[c];
                double yv = plot.py(v);
                svg.withTitle("rect", String.format(Locale.ROOT, "%s, %s: %.4g", categories[c], series.get(s).name(), v),
                        "class", "mark bar", "x", x0 + s * barW, "y", Math.min(yv, zero), "width", Math.max(0.5, barW - 1),
                        "height", Math.abs(zero - yv), "fill", Palette.color(s), "data-value", Double.toString(v));
            }
        }
        svg.close("g");
        plot.axes(svg, xTitle, yTitle);
        return svg.finish();
    }
}
