package org.tribuo.usae.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What a chart draws when its data, though valid, leave nothing to plot (too few rows, no concept
 * firing, no positive value on a log axis): a frame of the chart's own size holding one note that says
 * why. A report then keeps its section, its layout and its table of contents, and the reader sees the
 * reason instead of a missing figure or a failed report. The root is the same
 * {@code <svg class="chart" data-chart=kind>} as the drawn chart's, so page checks
 * ({@link HeadlessBrowser#parse}) count it like any other chart.
 */
public final class EmptyChart {
    /** How every note starts, so a reader (and a test) can find it. */
    public static final String PREFIX = "Nothing to plot: ";
    private static final double FONT = 14;
    private static final double PAD = 24;

    private EmptyChart() {
    }

    /**
     * @param kind   the chart kind the data was for ({@code data-chart}).
     * @param width  the chart's usual width in pixels.
     * @param height the chart's usual height in pixels.
     * @param reason why there is nothing to plot, a sentence fragment without the prefix
     *               (e.g. "none of the 64 points has x &gt; 0 and y &gt; 0").
     * @return the SVG: a dashed frame with {@value #PREFIX} + reason centred in it, wrapped to the width, in
     * a {@code g.nothing-to-plot} group and no {@code .mark} elements.
     */
    public static String svg(String kind, double width, double height, String reason) {
        String note = PREFIX + reason;
        Svg svg = new Svg(kind, width, height, note);
        svg.open("g", "class", "nothing-to-plot", "font-size", FONT, "fill", "#555", "text-anchor", "middle");
        svg.empty("rect", "x", 0.5, "y", 0.5, "width", width - 1, "height", height - 1, "fill", "#fafafa",
                "stroke", "#bbb", "stroke-dasharray", "6 4");
        List<String> lines = wrap(note, width - 2 * PAD);
        double lineHeight = FONT * 1.4;
        double y = height / 2 - (lines.size() - 1) * lineHeight / 2 + FONT * 0.35;
        for (String line : lines) {
            svg.text(width / 2, y, line, "class", "note");
            y += lineHeight;
        }
        svg.close("g");
        return svg.finish();
    }

    /** Greedy word wrap by the estimated text width; a word longer than a line gets a line of its own. */
    static List<String> wrap(String text, double maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && Svg.textWidth(candidate, FONT) > maxWidth) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
