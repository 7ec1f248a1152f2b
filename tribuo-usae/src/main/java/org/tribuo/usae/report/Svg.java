package org.tribuo.usae.report;

import java.util.Locale;

/**
 * A tiny SVG text builder: elements with escaped attributes, coordinates printed with at most two
 * decimals so files stay small. Not a DOM: callers open and close elements in order.
 */
public final class Svg {
    private final StringBuilder sb = new StringBuilder();

    /**
     * Starts an {@code <svg class="chart" data-chart=kind>} root.
     *
     * @param kind   chart kind, written as {@code data-chart}.
     * @param width  pixels.
     * @param height pixels.
     * @param label  accessible label ({@code aria-label}).
     */
    public Svg(String kind, double width, double height, String label) {
        // no xmlns: inline SVG in HTML5 gets its namespace from the parser, and the report must
        // hold no URL of any kind (a test checks that)
        sb.append("<svg class=\"chart\" data-chart=\"").append(Xml.escape(kind))
                .append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(Xml.escape(label)).append("\">");
    }

    /** @param v a coordinate. @return it with at most 2 decimals, no exponent, "." as separator. */
    public static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("SVG coordinate must be finite, got " + v);
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        // trim trailing zeros: "12.50" -> "12.5", "3.00" -> "3"
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }

    /**
     * @param tag   element name.
     * @param attrs name, value pairs (values escaped; Double values printed with {@link #num}).
     * @return this, with the element opened.
     */
    public Svg open(String tag, Object... attrs) {
        start(tag, attrs);
        sb.append('>');
        return this;
    }

    /** @param tag element name. @param attrs name, value pairs. @return this, with a self-closed element. */
    public Svg empty(String tag, Object... attrs) {
        start(tag, attrs);
        sb.append("/>");
        return this;
    }

    /**
     * An element holding only a {@code <title>} tooltip, e.g. a mark.
     *
     * @param tag     element name.
     * @param tooltip tooltip text.
     * @param attrs   name, value pairs.
     * @return this.
     */
    public Svg withTitle(String tag, String tooltip, Object... attrs) {
        start(tag, attrs);
        sb.append("><title>").append(Xml.escape(tooltip)).append("</title></").append(tag).append('>');
        return this;
    }

    /** @param tag element to close. @return this. */
    public Svg close(String tag) {
        sb.append("</").append(tag).append('>');
        return this;
    }

    /**
     * @param x     anchor x.
     * @param y     baseline y.
     * @param text  the text (escaped).
     * @param attrs extra attributes (e.g. text-anchor, class, transform).
     * @return this.
     */
    public Svg text(double x, double y, String text, Object... attrs) {
        Object[] all = new Object[attrs.length + 4];
        all[0] = "x";
        all[1] = x;
        all[2] = "y";
        all[3] = y;
        System.arraycopy(attrs, 0, all, 4, attrs.length);
        start("text", all);
        sb.append('>').append(Xml.escape(text)).append("</text>");
        return this;
    }

    /** @return the finished document, root closed. */
    public String finish() {
        return sb + "</svg>";
    }

    private void start(String tag, Object[] attrs) {
        if (attrs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes of <" + tag + "> must be name, value pairs, got " + attrs.length + " items");
        }
        sb.append('<').append(tag);
        for (int i = 0; i < attrs.length; i += 2) {
            Object v = attrs[i + 1];
            String value = v instanceof Double d ? num(d) : v instanceof Float f ? num(f) : String.valueOf(v);
            sb.append(' ').append(attrs[i]).append("=\"").append(Xml.escape(value)).append('"');
        }
    }

    /**
     * Rough text width for layout (no font metrics in a headless JVM): 0.6 em per character, which
     * over-estimates narrow glyphs so labels are not clipped.
     *
     * @param text     the text.
     * @param fontSize pixels.
     * @return estimated width in pixels.
     */
    public static double textWidth(String text, double fontSize) {
        return text.length() * 0.6 * fontSize;
    }
}
