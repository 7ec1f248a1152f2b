package org.tribuo.usae.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several named series as lines (the paper's Fig. 6b: co-fire proportion by energy rank, one line per
 * model), optionally on a log10 x axis. Non-finite points (and x <= 0 on a log axis) break the line.
 */
public final class LineChart {
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
     * @return the SVG ({@code data-chart="line"}, one {@code path.mark} per series).
     */
    public static String svg(List<Series> series, boolean logX, String xTitle, String yTitle) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("line chart needs at least one series");
        }
        double[][] xs = series.stream().map(Series::x).toArray(double[][]::new);
        double[][] ys = series.stream().map(Series::y).toArray(double[][]::new);
        List<Plot.LegendEntry> legend = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            legend.add(new Plot.LegendEntry(Palette.color(s), "line", series.get(s).name()));
        }
        Plot plot = new Plot(720, 360, Axis.over(xs, logX, 8, false), null, Axis.over(ys, false, 6, false), legend);
        Svg svg = new Svg("line", plot.width, plot.height, yTitle + " against " + xTitle);
        plot.grid(svg);
        svg.open("g", "class", "marks", "fill", "none", "stroke-width", 2, "stroke-linejoin", "round");
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < ser.x().length; i++) {
                double x = ser.x()[i];
                double y = ser.y()[i];
                if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0)) {
                    pen = false;
                    continue;
                }
                d.append(pen ? 'L' : 'M').append(Svg.num(plot.px(x))).append(' ').append(Svg.num(plot.py(y)));
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
}
