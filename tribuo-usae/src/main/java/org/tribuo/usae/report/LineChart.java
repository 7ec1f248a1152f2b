package org.tribuo.usae.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several named series as lines (the paper's Fig. 6b: co-fire proportion by energy rank, one line per
 * model), optionally on a log10 x axis. Non-finite points (and x <= 0 on a log axis) break the line.
 */
public final class LineChart {
    private static final double WIDTH = 720;
    private static final double HEIGHT = 360;

    private LineChart() {
    }

    /**
     * One line.
     *
     * @param name legend text.
     * @param x    {@code [n]} x values.
     * @param y    {@code [n]} y values.
     */
    public record Series(String name, double[] x, double[] y) {
        /** Checks the lengths. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    /**
     * @param series the lines (at least one).
     * @param logX   log10 x axis.
     * @param xTitle x axis title.
     * @param yTitle y axis title.
     * @return the SVG ({@code data-chart="line"}, one {@code path.mark} per series; a point between two gaps is
     * drawn as a dot), or its {@link EmptyChart} form when no series has a drawable point.
     * @throws IllegalArgumentException when there is no series.
     */
    public static String svg(List<Series> series, boolean logX, String xTitle, String yTitle) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("line chart needs at least one series");
        }
        if (series.stream().noneMatch(s -> hasDrawablePoint(s, logX))) {
            return EmptyChart.svg("line", WIDTH, HEIGHT, "none of the " + series.size() + " series has a point where "
                    + xTitle + (logX ? " is > 0" : " is a finite number") + " and " + yTitle + " is a finite number.");
        }
        double[][] xs = series.stream().map(Series::x).toArray(double[][]::new);
        double[][] ys = series.stream().map(Series::y).toArray(double[][]::new);
        List<Plot.LegendEntry> legend = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            legend.add(new Plot.LegendEntry(Palette.color(s), "line", series.get(s).name()));
        }
        Plot plot = new Plot(WIDTH, HEIGHT, Axis.over(xs, logX, 8, false), null, Axis.over(ys, false, 6, false), legend);
        Svg svg = new Svg("line", plot.width, plot.height, yTitle + " against " + xTitle);
        plot.grid(svg);
        // round caps draw the zero-length segment of a lone point (see below) as a dot
        svg.open("g", "class", "marks", "fill", "none", "stroke-width", 2, "stroke-linejoin", "round",
                "stroke-linecap", "round");
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < ser.x().length; i++) {
                if (!drawable(ser, i, logX)) {
                    pen = false;
                    continue;
                }
                d.append(pen ? 'L' : 'M').append(Svg.num(plot.px(ser.x()[i]))).append(' ')
                        .append(Svg.num(plot.py(ser.y()[i])));
                if (!pen && (i + 1 == ser.x().length || !drawable(ser, i + 1, logX))) {
                    // a lone point (e.g. one analysed row, or a value between two gaps) has no segment to draw
                    d.append("h0");
                }
                pen = true;
            }
            String tip = String.format(Locale.ROOT, "%s (%d points)", ser.name(), ser.x().length);
            svg.withTitle("path", tip, "class", "mark line", "d", d.length() == 0 ? "M0 0" : d.toString(),
                    "stroke", Palette.color(s), "data-series", ser.name());
        }
        svg.close("g");
        plot.axes(svg, xTitle, yTitle);
        return svg.finish();
    }

    private static boolean drawable(Series s, int i, boolean logX) {
        return Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) && (!logX || s.x()[i] > 0);
    }

    private static boolean hasDrawablePoint(Series s, boolean logX) {
        for (int i = 0; i < s.x().length; i++) {
            if (drawable(s, i, logX)) {
                return true;
            }
        }
        return false;
    }
}
