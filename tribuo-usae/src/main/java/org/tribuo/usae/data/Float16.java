package org.tribuo.usae.data;

/**
 * IEEE 754 binary16 to binary32 conversion. JDK 17 lacks {@code Float.float16ToFloat} (added in
 * JDK 20), and activations are often stored as float16 to halve disk use.
 */
public final class Float16 {
    private Float16() {
    }

    /**
     * Widens a half-precision value exactly (every binary16 value is representable in binary32).
     * Handles signed zeros, subnormals, infinities and NaN (the NaN payload is kept in the top
     * mantissa bits).
     *
     * @param bits the raw 16 bits.
     * @return the float value.
     */
    public static float toFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x03FF;
        if (exp == 0x1F) {
            // Inf (mant == 0) or NaN; shift the payload so NaN stays NaN.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign); // +-0
            }
            // Subnormal half: value = mant * 2^-24; exact in float32 as a normal number.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
