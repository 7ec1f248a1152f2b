package org.tribuo.usae.report;

/** Categorical colours for series: the Okabe-Ito palette, distinguishable with common colour-vision deficiencies. */
public final class Palette {
    /** Blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black. */
    static final String[] OKABE_ITO = {"#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000000"};

    private Palette() {
    }

    /** @param i series index (>= 0). @return its colour; cycles after 8 series. */
    public static String color(int i) {
        if (i < 0) {
            throw new IllegalArgumentException("series index must be >= 0, got " + i);
        }
        return OKABE_ITO[i % OKABE_ITO.length];
    }
}
