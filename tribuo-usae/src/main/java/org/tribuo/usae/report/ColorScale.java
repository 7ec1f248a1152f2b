package org.tribuo.usae.report;

import java.util.Locale;

/**
 * Maps numbers to colours by piecewise-linear interpolation between anchor colours in sRGB.
 * Values outside the domain are clamped; the tooltip of a mark shows the exact value.
 */
public final class ColorScale {
    /** Matplotlib's viridis sampled at 0, 0.1, ..., 1 (perceptually uniform, colour-blind safe). */
    static final int[] VIRIDIS = {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884,
            0x44bf70, 0x7ad151, 0xbddf26, 0xfde725};
    /** ColorBrewer RdBu (5 classes, colour-blind safe), red for the low end, blue for the high end. */
    static final int[] RED_BLUE = {0xca0020, 0xf4a582, 0xf7f7f7, 0x92c5de, 0x0571b0};

    private final int[] anchors;
    private final double[] stops;
    private final String name;

    private ColorScale(String name, int[] anchors, double[] stops) {
        this.name = name;
        this.anchors = anchors;
        this.stops = stops;
    }

    /**
     * @param lo value drawn dark purple.
     * @param hi value drawn yellow ({@code > lo}).
     * @return viridis over {@code [lo, hi]}.
     */
    public static ColorScale viridis(double lo, double hi) {
        requireOrdered(lo, hi, hi);
        double[] stops = new double[VIRIDIS.length];
        for (int i = 0; i < stops.length; i++) {
            stops[i] = lo + (hi - lo) * i / (stops.length - 1);
        }
        return new ColorScale("viridis", VIRIDIS, stops);
    }

    /**
     * A diverging red-white-blue scale.
     *
     * @param lo  value drawn dark red.
     * @param mid value drawn white (e.g. 0 for R2: no better than the mean).
     * @param hi  value drawn dark blue.
     * @return the scale.
     */
    public static ColorScale diverging(double lo, double mid, double hi) {
        requireOrdered(lo, mid, hi);
        double[] stops = {lo, (lo + mid) / 2, mid, (mid + hi) / 2, hi};
        return new ColorScale("red-white-blue", RED_BLUE, stops);
    }

    private static void requireOrdered(double lo, double mid, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi) || !(lo <= mid && mid <= hi)) {
            throw new IllegalArgumentException("colour scale needs finite lo < hi (and lo <= mid <= hi), got lo="
                    + lo + ", mid=" + mid + ", hi=" + hi);
        }
    }

    /** @return the domain start. */
    public double lo() {
        return stops[0];
    }

    /** @return the domain end. */
    public double hi() {
        return stops[stops.length - 1];
    }

    /** @return "viridis" or "red-white-blue". */
    public String name() {
        return name;
    }

    /** @param v a value. @return its colour as 0xRRGGBB (NaN maps to mid grey). */
    public int rgb(double v) {
        if (Double.isNaN(v)) {
            return 0x999999;
        }
        if (v <= stops[0]) {
            return anchors[0];
        }
        int last = stops.length - 1;
        if (v >= stops[last]) {
            return anchors[last];
        }
        int i = 0;
        while (v > stops[i + 1]) {
            i++;
        }
        double t = (v - stops[i]) / (stops[i + 1] - stops[i]);
        return mix(anchors[i], anchors[i + 1], t);
    }

    /** @param v a value. @return its colour as {@code #rrggbb}. */
    public String css(double v) {
        return hex(rgb(v));
    }

    /** @param rgb 0xRRGGBB. @return {@code #rrggbb}. */
    public static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xffffff);
    }

    /**
     * @param rgb a background colour.
     * @return black or white, whichever reads better on it (WCAG relative luminance threshold).
     */
    public static String textOn(int rgb) {
        double l = 0.2126 * linear((rgb >> 16) & 0xff) + 0.7152 * linear((rgb >> 8) & 0xff) + 0.0722 * linear(rgb & 0xff);
        return l > 0.179 ? "#000000" : "#ffffff";
    }

    private static double linear(int c) {
        double s = c / 255.0;
        return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }

    private static int mix(int a, int b, double t) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int ca = (a >> shift) & 0xff;
            int cb = (b >> shift) & 0xff;
            out |= ((int) Math.round(ca + (cb - ca) * t)) << shift;
        }
        return out;
    }
}
