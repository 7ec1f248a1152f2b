package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ColorScaleTest {

    @Test
    void viridisHitsItsAnchorsAndInterpolatesBetweenThem() {
        ColorScale s = ColorScale.viridis(0, 1);
        assertEquals("#440154", s.css(0));
        assertEquals("#21918c", s.css(0.5));
        assertEquals("#fde725", s.css(1));
        // halfway between anchors 0 (#440154) and 0.1 (#482475):
        // r (0x44 + 0x48)/2 = 70 = 0x46; g 1 + 35/2 = 18.5 -> 19 = 0x13; b 84 + 33/2 = 100.5 -> 101 = 0x65
        assertEquals("#461365", s.css(0.05));
        // the domain maps onto the same colours: viridis(10, 20) at 15 is the middle colour
        assertEquals("#21918c", ColorScale.viridis(10, 20).css(15));
        // clamped outside the domain
        assertEquals("#440154", s.css(-3));
        assertEquals("#fde725", s.css(7));
    }

    @Test
    void divergingIsWhiteAtTheMidpoint() {
        ColorScale s = ColorScale.diverging(-1, 0, 1);
        assertEquals("#ca0020", s.css(-1));
        assertEquals("#f7f7f7", s.css(0));
        assertEquals("#0571b0", s.css(1));
        assertEquals("#92c5de", s.css(0.5));
        assertEquals("#0571b0", s.css(2.5));
        assertEquals("#999999", s.css(Double.NaN));
    }

    @Test
    void textColourContrastsWithTheCell() {
        assertEquals("#ffffff", ColorScale.textOn(0x440154));
        assertEquals("#000000", ColorScale.textOn(0xfde725));
        assertEquals("#000000", ColorScale.textOn(0xf7f7f7));
    }

    @Test
    void badDomainsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ColorScale.viridis(1, 1));
        assertThrows(IllegalArgumentException.class, () -> ColorScale.diverging(-1, 2, 1));
    }
}
