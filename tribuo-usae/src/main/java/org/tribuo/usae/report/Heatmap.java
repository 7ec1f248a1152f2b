package org.tribuo.usae.report;

import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.metrics.R2Matrix;

import java.util.Arrays;
import java.util.Locale;

/**
 * An annotated matrix heatmap (the paper's Fig. 5 R2 matrix): one coloured cell per entry with its
 * value printed in it, row labels on the left, column labels below, and a colour bar on the right.
 */
public final class Heatmap {
    private static final double PAD = 8;
    private static final double BAR_WIDTH = 14;

    private Heatmap() {
    }

    /**
     * The R2 (or MSE) matrix of a model: rows = source/encoder, columns = target/decoder. R2 kinds use
     * the diverging scale on [-1, 1] (white = 0, i.e. no better than predicting the mean; values below
     * -1 are drawn as -1 and keep their exact value in the cell text); MSE uses viridis from 0 to its
     * largest entry.
     *
     * @param matrix the matrix.
     * @param kind   which score.
     * @return the SVG.
     */
    public static String r2(R2Matrix matrix, R2Kind kind) {
        double[][] v = matrix.get(kind);
        ColorScale scale;
        if (kind == R2Kind.MSE) {
            double max = 0;
            for (double[] row : v) {
                for (double x : row) {
                    if (Double.isFinite(x)) {
                        max = Math.max(max, x);
                    }
                }
            }
            scale = ColorScale.viridis(0, max > 0 ? max : 1);
        } else {
            scale = ColorScale.diverging(-1, 0, 1);
        }
        return svg(matrix.names(), matrix.names(), v, scale, "source model (encoder)", "target model (decoder)",
                valueName(kind), "no cell has a finite " + valueName(kind) + (kind == R2Kind.MSE ? "."
                        : "; R\u00b2 is undefined when the target's activations do not vary over the rows, e.g. on a "
                        + "single row."));
    }

    /** @param kind a score. @return its name on the colour bar and in tooltips. */
    static String valueName(R2Kind kind) {
        return switch (kind) {
            case OFFICIAL -> "R\u00b2 (official)";
            case VARIANCE_WEIGHTED -> "R\u00b2 (variance-weighted)";
            case UNIFORM_AVERAGE -> "R\u00b2 (uniform average)";
            case MSE -> "MSE";
        };
    }

    /**
     * @param rowLabels   {@code [rows]} labels.
     * @param colLabels   {@code [cols]} labels.
     * @param values      {@code [rows x cols]}; NaN cells are grey.
     * @param scale       colours.
     * @param rowTitle    what the rows are.
     * @param colTitle    what the columns are.
     * @param valueName   what a value is (tooltips and colour bar).
     * @return the SVG ({@code data-chart="heatmap"}, one {@code rect.mark} per cell), or its {@link EmptyChart}
     * form when no cell has a finite value.
     * @throws IllegalArgumentException when the shape does not match the labels.
     */
    public static String svg(String[] rowLabels, String[] colLabels, double[][] values, ColorScale scale,
                             String rowTitle, String colTitle, String valueName) {
        return svg(rowLabels, colLabels, values, scale, rowTitle, colTitle, valueName,
                "none of the " + rowLabels.length + " \u00d7 " + colLabels.length + " cells has a finite " + valueName + ".");
    }

    private static String svg(String[] rowLabels, String[] colLabels, double[][] values, ColorScale scale,
                              String rowTitle, String colTitle, String valueName, String whyNoFiniteCell) {
        if (values.length != rowLabels.length || rowLabels.length == 0) {
            throw new IllegalArgumentException("heatmap: " + rowLabels.length + " row labels for " + values.length + " rows");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != colLabels.length) {
                throw new IllegalArgumentException("heatmap: row " + i + " has " + values[i].length + " values, expected "
                        + colLabels.length + " (one per column label)");
            }
        }
        int rows = rowLabels.length;
        int cols = colLabels.length;
        double cell = Math.max(22, Math.min(72, 480.0 / Math.max(rows, cols)));
        double rowLabelWidth = 0;
        for (String s : rowLabels) {
            rowLabelWidth = Math.max(rowLabelWidth, Svg.textWidth(s, Plot.FONT));
        }
        double colLabelWidth = 0;
        for (String s : colLabels) {
            colLabelWidth = Math.max(colLabelWidth, Svg.textWidth(s, Plot.FONT));
        }
        boolean rotate = colLabelWidth > cell - 4;
        double left = PAD + Plot.TITLE_FONT + PAD + rowLabelWidth + 6;
        double top = PAD + 4;
        double gridW = cell * cols;
        double gridH = cell * rows;
        double colLabelHeight = rotate ? 0.65 * colLabelWidth + Plot.FONT : Plot.FONT + 6;
        NiceTicks.Ticks barTicks = NiceTicks.linear(scale.lo(), scale.hi(), 6);
        double barLabelWidth = 0;
        for (String s : barTicks.labels()) {
            barLabelWidth = Math.max(barLabelWidth, Svg.textWidth(s, Plot.FONT));
        }
        double barX = left + gridW + 3 * PAD;
        double width = barX + BAR_WIDTH + 6 + barLabelWidth + PAD + Plot.TITLE_FONT + PAD;
        double height = top + Math.max(gridH, 120) + 6 + colLabelHeight + PAD + Plot.TITLE_FONT + PAD;
        if (Arrays.stream(values).flatMapToDouble(Arrays::stream).noneMatch(Double::isFinite)) {
            // a grid of grey "NaN" cells would look like a rendering fault; say why instead
            return EmptyChart.svg("heatmap", width, height, whyNoFiniteCell);
        }
        Svg svg = new Svg("heatmap", width, height, valueName + " matrix, rows: " + rowTitle + ", columns: " + colTitle);
        boolean annotate = cell >= 30;
        String format = cell >= 48 ? "%.3f" : "%.2f";
        svg.open("g", "class", "cells", "font-size", cell >= 48 ? Plot.FONT : 10, "text-anchor", "middle");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = values[i][j];
                int rgb = scale.rgb(v);
                double x = left + j * cell;
                double y = top + i * cell;
                svg.withTitle("rect", rowLabels[i] + " \u2192 " + colLabels[j] + ": " + valueName + " = " + fmt(v),
                        "class", "mark cell", "x", x, "y", y, "width", cell - 1, "height", cell - 1,
                        "fill", ColorScale.hex(rgb), "data-value", Double.toString(v));
                if (annotate) {
                    svg.text(x + cell / 2, y + cell / 2 + 4, String.format(Locale.ROOT, format, v), "fill",
                            ColorScale.textOn(rgb), "pointer-events", "none");
                }
            }
        }
        svg.close("g");
        svg.open("g", "class", "axes", "font-size", Plot.FONT, "fill", "#333");
        for (int i = 0; i < rows; i++) {
            svg.text(left - 6, top + i * cell + cell / 2 + 4, rowLabels[i], "text-anchor", "end", "class", "tick");
        }
        double labelY = top + gridH + Plot.FONT + 4;
        for (int j = 0; j < cols; j++) {
            double cx = left + j * cell + cell / 2;
            if (rotate) {
                svg.text(cx, labelY, colLabels[j], "text-anchor", "end", "class", "tick",
                        "transform", "rotate(-40 " + Svg.num(cx) + " " + Svg.num(labelY) + ")");
            } else {
                svg.text(cx, labelY, colLabels[j], "text-anchor", "middle", "class", "tick");
            }
        }
        svg.text(left + gridW / 2, height - PAD, colTitle, "text-anchor", "middle", "font-size", Plot.TITLE_FONT,
                "class", "axis-title");
        double cy = top + gridH / 2;
        svg.text(PAD + Plot.TITLE_FONT, cy, rowTitle, "text-anchor", "middle", "font-size", Plot.TITLE_FONT,
                "class", "axis-title", "transform", "rotate(-90 " + Svg.num(PAD + Plot.TITLE_FONT) + " " + Svg.num(cy) + ")");
        svg.close("g");
        colorBar(svg, scale, barTicks, barX, top, Math.max(gridH, 120), valueName, width);
        return svg.finish();
    }

    /** Draws a vertical colour bar of 64 steps with tick labels and its title, high values on top. */
    static void colorBar(Svg svg, ColorScale scale, NiceTicks.Ticks ticks, double x, double top, double h,
                         String title, double width) {
        int steps = 64;
        svg.open("g", "class", "colorbar", "font-size", Plot.FONT, "fill", "#333");
        double lo = scale.lo();
        double hi = scale.hi();
        for (int s = 0; s < steps; s++) {
            double v = lo + (hi - lo) * (s + 0.5) / steps;
            double y = top + h - (s + 1) * h / steps;
            svg.empty("rect", "x", x, "y", y, "width", BAR_WIDTH, "height", h / steps + 0.5, "fill", scale.css(v));
        }
        svg.empty("rect", "x", x, "y", top, "width", BAR_WIDTH, "height", h, "fill", "none", "stroke", "#555");
        String[] labels = ticks.labels();
        double[] values = ticks.values();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < lo - 1e-12 || values[i] > hi + 1e-12) {
                continue;
            }
            double y = top + h - (values[i] - lo) / (hi - lo) * h;
            svg.empty("line", "x1", x + BAR_WIDTH, "x2", x + BAR_WIDTH + 4, "y1", y, "y2", y, "stroke", "#555");
            svg.text(x + BAR_WIDTH + 6, y + 4, labels[i], "class", "tick");
        }
        double tx = width - PAD - 2;
        double cy = top + h / 2;
        svg.text(tx, cy, title, "text-anchor", "middle", "font-size", Plot.TITLE_FONT, "class", "axis-title",
                "transform", "rotate(-90 " + Svg.num(tx) + " " + Svg.num(cy) + ")");
        svg.close("g");
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
    }
}
