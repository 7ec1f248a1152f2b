package org.tribuo.usae.report;

import java.util.List;

/**
 * The frame shared by the x/y charts: margins sized to the tick labels, the data-to-pixel mapping,
 * gridlines, axes with tick labels and titles, and an optional legend in the right margin.
 * The x axis is numeric, or categorical (evenly spaced bands, one label each).
 */
final class Plot {
    static final double FONT = 12;
    static final double TITLE_FONT = 13;
    private static final double PAD = 8;
    /** Smallest plot area side, in pixels, that still shows the data. */
    private static final double MIN_PLOT = 40;

    final double width;
    final double height;
    final double left;
    final double right;
    final double top;
    final double bottom;
    final Axis x;
    final Axis y;
    final String[] categories;
    final boolean rotateCategories;
    private final List<LegendEntry> legend;
    private final boolean legendOnTop;

    /** A legend line: a colour swatch ("line", "box" or "dot") and its text. */
    record LegendEntry(String color, String shape, String text) {
    }

    /**
     * @param width      pixels.
     * @param height     pixels.
     * @param x          numeric x axis, or null with categories.
     * @param categories x bands (categorical chart) or null.
     * @param y          numeric y axis.
     * @param legend     legend lines (may be empty).
     */
    Plot(double width, double height, Axis x, String[] categories, Axis y, List<LegendEntry> legend) {
        this(width, height, x, categories, y, legend, false);
    }

    /**
     * @param legendOnTop put the legend lines above the plot (for long legend texts) instead of in
     *                    the right margin, so the plot keeps its width; chosen anyway when the legend
     *                    would leave the plot too narrow.
     */
    Plot(double width, double height, Axis x, String[] categories, Axis y, List<LegendEntry> legend, boolean legendOnTop) {
        this.width = width;
        this.height = height;
        this.x = x;
        this.y = y;
        this.legend = List.copyOf(legend);
        double yLabels = 0;
        for (String s : y.ticks().labels()) {
            yLabels = Math.max(yLabels, Svg.textWidth(s, FONT));
        }
        double legendWidth = 0;
        for (LegendEntry e : legend) {
            legendWidth = Math.max(legendWidth, 24 + Svg.textWidth(e.text(), FONT));
        }
        this.left = PAD + TITLE_FONT + PAD + yLabels + 6;
        // long legend texts (e.g. long model names) would squeeze the plot to nothing in the right margin
        double rightOfLegend = width - PAD - legendWidth - 2 * PAD;
        this.legendOnTop = legendOnTop || (legendWidth > 0 && rightOfLegend - left < MIN_PLOT);
        this.top = PAD + 6 + (this.legendOnTop ? legend.size() * (FONT + 8) : 0);
        this.right = legendWidth > 0 && !this.legendOnTop ? rightOfLegend : width - PAD - 12;
        double bandWidth = categories == null ? 0 : (right - left) / categories.length;
        // rotated labels run down at 40 degrees (their height is about 0.65 of their length); longer ones
        // than fit in half the chart's height are shortened, the bars' tooltips keep the whole name
        double maxRotated = (height / 2 - FONT) / 0.65;
        this.categories = categories == null ? null : new String[categories.length];
        double longest = 0;
        if (categories != null) {
            for (int i = 0; i < categories.length; i++) {
                this.categories[i] = shorten(categories[i], maxRotated);
                longest = Math.max(longest, Svg.textWidth(this.categories[i], FONT));
            }
        }
        this.rotateCategories = categories != null && longest > bandWidth - 4;
        double xLabelHeight = rotateCategories ? 0.65 * longest + FONT : FONT + 4;
        this.bottom = height - PAD - TITLE_FONT - PAD - xLabelHeight;
        if (right - left < MIN_PLOT || bottom - top < MIN_PLOT) {
            throw new IllegalArgumentException("chart " + width + "x" + height + " is too small for its labels");
        }
    }

    /** @return the text, cut with an ellipsis to at most {@code maxWidth} pixels at the tick font. */
    static String shorten(String text, double maxWidth) {
        if (Svg.textWidth(text, FONT) <= maxWidth) {
            return text;
        }
        int keep = Math.max(1, (int) (maxWidth / Svg.textWidth("x", FONT)) - 1);
        return text.substring(0, Math.min(keep, text.length())) + "\u2026";
    }

    /** @param v x data value. @return pixel x. */
    double px(double v) {
        return left + x.fraction(v) * (right - left);
    }

    /** @param v y data value. @return pixel y. */
    double py(double v) {
        return bottom - y.fraction(v) * (bottom - top);
    }

    /** @param i category. @return the band's left pixel. */
    double bandStart(int i) {
        return left + (right - left) * i / categories.length;
    }

    /** @return one band's width in pixels. */
    double bandWidth() {
        return (right - left) / categories.length;
    }

    /** Draws gridlines (behind the marks): call before the marks. */
    void grid(Svg svg) {
        svg.open("g", "class", "grid", "stroke", "#e3e3e3", "stroke-width", 1);
        for (double t : y.ticks().values()) {
            svg.empty("line", "x1", left, "x2", right, "y1", py(t), "y2", py(t));
        }
        for (double t : y.minorTicks()) {
            svg.empty("line", "x1", left, "x2", right, "y1", py(t), "y2", py(t), "stroke", "#f3f3f3");
        }
        if (x != null) {
            for (double t : x.ticks().values()) {
                svg.empty("line", "x1", px(t), "x2", px(t), "y1", top, "y2", bottom);
            }
            for (double t : x.minorTicks()) {
                svg.empty("line", "x1", px(t), "x2", px(t), "y1", top, "y2", bottom, "stroke", "#f3f3f3");
            }
        }
        svg.close("g");
    }

    /** Draws the axes, tick labels, axis titles and legend (over the marks): call after the marks. */
    void axes(Svg svg, String xTitle, String yTitle) {
        svg.open("g", "class", "axes", "font-size", FONT, "fill", "#333");
        svg.empty("line", "x1", left, "x2", right, "y1", bottom, "y2", bottom, "stroke", "#555");
        svg.empty("line", "x1", left, "x2", left, "y1", top, "y2", bottom, "stroke", "#555");
        String[] yl = y.ticks().labels();
        double[] yv = y.ticks().values();
        for (int i = 0; i < yv.length; i++) {
            svg.empty("line", "x1", left - 4, "x2", left, "y1", py(yv[i]), "y2", py(yv[i]), "stroke", "#555");
            svg.text(left - 6, py(yv[i]) + FONT * 0.35, yl[i], "text-anchor", "end", "class", "tick");
        }
        double labelY = bottom + FONT + 4;
        if (x != null) {
            String[] xl = x.ticks().labels();
            double[] xv = x.ticks().values();
            for (int i = 0; i < xv.length; i++) {
                svg.empty("line", "x1", px(xv[i]), "x2", px(xv[i]), "y1", bottom, "y2", bottom + 4, "stroke", "#555");
                svg.text(px(xv[i]), labelY, xl[i], "text-anchor", "middle", "class", "tick");
            }
        } else {
            for (int i = 0; i < categories.length; i++) {
                double cx = bandStart(i) + bandWidth() / 2;
                if (rotateCategories) {
                    svg.text(cx, bottom + FONT, categories[i], "text-anchor", "end", "class", "tick",
                            "transform", "rotate(-40 " + Svg.num(cx) + " " + Svg.num(bottom + FONT) + ")");
                } else {
                    svg.text(cx, labelY, categories[i], "text-anchor", "middle", "class", "tick");
                }
            }
        }
        svg.text((left + right) / 2, height - PAD, xTitle, "text-anchor", "middle", "font-size", TITLE_FONT,
                "class", "axis-title");
        double cy = (top + bottom) / 2;
        svg.text(PAD + TITLE_FONT, cy, yTitle, "text-anchor", "middle", "font-size", TITLE_FONT, "class", "axis-title",
                "transform", "rotate(-90 " + Svg.num(PAD + TITLE_FONT) + " " + Svg.num(cy) + ")");
        svg.close("g");
        legend(svg);
    }

    private void legend(Svg svg) {
        if (legend.isEmpty()) {
            return;
        }
        double lx = legendOnTop ? left + PAD : right + 2 * PAD;
        double ly = legendOnTop ? PAD + FONT : top + FONT;
        svg.open("g", "class", "legend", "font-size", FONT, "fill", "#333");
        for (LegendEntry e : legend) {
            switch (e.shape()) {
                case "line" -> svg.empty("line", "x1", lx, "x2", lx + 16, "y1", ly - 4, "y2", ly - 4, "stroke", e.color(),
                        "stroke-width", 2.5);
                case "dot" -> svg.empty("circle", "cx", lx + 8, "cy", ly - 4, "r", 4, "fill", e.color());
                default -> svg.empty("rect", "x", lx + 2, "y", ly - 10, "width", 12, "height", 12, "fill", e.color());
            }
            svg.text(lx + 22, ly, e.text());
            ly += FONT + 8;
        }
        svg.close("g");
    }
}
