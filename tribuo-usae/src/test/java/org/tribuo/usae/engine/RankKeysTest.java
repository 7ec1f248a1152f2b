package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed rank keys: the branch-free positivity test against {@code v > 0f}, the key order against
 * (value descending, index ascending), and {@link RankKeys#sortSmallest} in both regimes (top list,
 * radix sort) against {@link Arrays#sort}.
 */
class RankKeysTest {

    @Test
    void isPositiveIsExactlyGreaterThanZero() {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (float v : special) {
            assertEquals(v > 0f ? 1 : 0, RankKeys.isPositive(Float.floatToRawIntBits(v)), "v = " + v);
        }
        // NaNs of every sign and payload edge, and random bit patterns
        int[] bits = {0x7f800001, 0x7fffffff, 0x7fc00000, 0xff800001, 0xffffffff, 0x80000000, 0x7f800000, 0x00000001};
        for (int b : bits) {
            assertEquals(Float.intBitsToFloat(b) > 0f ? 1 : 0, RankKeys.isPositive(b), "bits " + Integer.toHexString(b));
        }
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            int b = r.nextInt();
            assertEquals(Float.intBitsToFloat(b) > 0f ? 1 : 0, RankKeys.isPositive(b), "bits " + Integer.toHexString(b));
        }
    }

    @Test
    void keysSortByValueDescendingThenIndexAscending() {
        // 3 at index 5 beats 2 at index 0; equal 2s: index 0 before index 9; +inf first, subnormal last
        long inf = RankKeys.of(Float.POSITIVE_INFINITY, 7);
        long three = RankKeys.of(3f, 5);
        long twoLow = RankKeys.of(2f, 0);
        long twoHigh = RankKeys.of(2f, 9);
        long tiny = RankKeys.of(Float.MIN_VALUE, 1);
        assertTrue(inf < three && three < twoLow && twoLow < twoHigh && twoHigh < tiny);
        assertEquals(9, RankKeys.index(twoHigh));
    }

    /** Positive keys in ascending index order, values from a small set (ties) or wide exponents. */
    private static long[] candidates(Random r, int count, boolean ties) {
        long[] keys = new long[count];
        for (int j = 0; j < count; j++) {
            float v = ties ? 1 + r.nextInt(5) * 0.5f : (float) Math.exp(r.nextGaussian() * 20);
            keys[j] = RankKeys.of(v, j * 3);   // gaps in the indices, as with skipped latents
        }
        return keys;
    }

    @Test
    void sortSmallestMatchesAFullSortInBothRegimes() {
        Random r = new Random(9);
        // (count, slots): radix sort (slots near count) and top list (slots * 16 < count)
        int[][] shapes = {{2, 1}, {10, 9}, {700, 600}, {3100, 3072}, {1200, 64}, {5000, 64}, {40, 2}, {257, 256}};
        for (int[] shape : shapes) {
            for (boolean ties : new boolean[]{true, false}) {
                int count = shape[0];
                int slots = shape[1];
                long[] keys = candidates(r, count, ties);
                long[] expected = keys.clone();
                Arrays.sort(expected);
                // left-over garbage in the work arrays must not matter
                long[] buffer = new long[count];
                Arrays.fill(buffer, -1L);
                int[] counts = new int[RankKeys.COUNTS];
                Arrays.fill(counts, 77);
                RankKeys.sortSmallest(keys, count, slots, buffer, counts);
                assertArrayEquals(Arrays.copyOf(expected, slots), Arrays.copyOf(keys, slots),
                        "count=" + count + " slots=" + slots + " ties=" + ties);
            }
        }
    }

    @Test
    void radixSkipsDigitsSharedByEveryKeyAndStillSorts() {
        // all values in [1, 2): the top digit (sign, exponent) is the same for all, so that pass is skipped;
        // the mantissas differ only in the low digits
        long[] keys = new long[500];
        Random r = new Random(13);
        for (int j = 0; j < keys.length; j++) {
            keys[j] = RankKeys.of(Float.intBitsToFloat(0x3f800000 | r.nextInt(1 << 10)), j);
        }
        long[] expected = keys.clone();
        Arrays.sort(expected);
        RankKeys.sortSmallest(keys, keys.length, 499, new long[keys.length], new int[RankKeys.COUNTS]);
        assertArrayEquals(Arrays.copyOf(expected, 499), Arrays.copyOf(keys, 499));
    }
}
