package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16Test {
    private static float f(int bits) {
        return Float16.toFloat((short) bits);
    }

    @Test
    void zerosKeepTheirSign() {
        assertEquals(0, Float.floatToRawIntBits(f(0x0000)));
        assertEquals(0x80000000, Float.floatToRawIntBits(f(0x8000)));
    }

    @Test
    void subnormals() {
        assertEquals(0x1p-24f, f(0x0001));
        assertEquals(-0x1p-24f, f(0x8001));
        assertEquals(1023 * 0x1p-24f, f(0x03FF)); // largest subnormal
        assertEquals(0x1p-15f, f(0x0200));
    }

    @Test
    void normals() {
        assertEquals(0x1p-14f, f(0x0400));
        assertEquals(1f, f(0x3C00));
        assertEquals(-2f, f(0xC000));
        assertEquals(65504f, f(0x7BFF));
        assertEquals(1f + 0x1p-10f, f(0x3C01));
        assertEquals(0.333251953125f, f(0x3555));
    }

    @Test
    void infinitiesAndNan() {
        assertEquals(Float.POSITIVE_INFINITY, f(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, f(0xFC00));
        assertTrue(Float.isNaN(f(0x7E00)));
        assertTrue(Float.isNaN(f(0x7C01)));   // signalling payload stays NaN, not Inf
        assertTrue(Float.isNaN(f(0xFE00)));
    }

    @Test
    void everyFiniteHalfRoundTripsThroughDoubleArithmetic() {
        // Independent reference: sign * 2^(e-15) * (1 + m/1024), or 2^-14 * m/1024 for subnormals.
        for (int h = 0; h < 0x10000; h++) {
            int e = (h >>> 10) & 0x1F;
            int m = h & 0x3FF;
            if (e == 0x1F) {
                continue;
            }
            double sign = (h & 0x8000) != 0 ? -1 : 1;
            double ref = e == 0 ? sign * Math.scalb(m / 1024.0, -14) : sign * Math.scalb(1 + m / 1024.0, e - 15);
            assertEquals((float) ref, f(h), "bits " + Integer.toHexString(h));
        }
    }
}
