package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * Positive candidates of one row packed as longs that sort ascending in {@link TopK}'s order (value
 * descending, ties to the lower index): the high word is {@code 0x7fffffff ^ floatBits(v)} (positive
 * float bits grow with the value, so this shrinks as v grows), the low word the index. Keys are
 * distinct (one per index), so any exact method of ordering them gives the same result.
 */
final class RankKeys {
    /** Radix digits of the 31-bit value word: 8 bits at a time from the low end. */
    private static final int DIGIT_BITS = 8;
    private static final int BUCKETS = 1 << DIGIT_BITS;
    private static final int DIGITS = 4;
    /** Length of the work array of {@link #sortSmallest}'s histograms. */
    static final int COUNTS = DIGITS * BUCKETS;
    /** Below this ratio of slots to candidates a sorted top list beats sorting everything. */
    private static final int TOP_LIST_RATIO = 16;

    private RankKeys() {
    }

    /** @return the key of value v > 0 (finite or +infinity) at index j. */
    static long of(float v, int j) {
        return ((long) (0x7fffffff ^ Float.floatToRawIntBits(v)) << 32) | j;
    }

    /** @return the index of a key. */
    static int index(long key) {
        return (int) key;
    }

    /**
     * @return 1 if the float with these bits is positive (finite or +infinity), 0 for zeros, negatives
     * and NaN: exactly {@code v > 0f}, without a branch (candidate collection keeps about half of a
     * row, a coin flip a branch predictor cannot learn).
     */
    static int isPositive(int bits) {
        // positive: bits - 1 in [0, 0x7f7fffff]; both differences are non-negative only then
        int x = bits - 1;
        return ((x | (0x7f7fffff - x)) >>> 31) ^ 1;
    }

    /**
     * Puts the {@code slots} smallest of {@code keys[0 .. count)} in ascending order into
     * {@code keys[0 .. slots)} (the rest of the range is left in any order). Few slots among many keys
     * keep a sorted top list (one compare per key); otherwise a stable radix sort on the value word
     * orders all keys, which equals a full sort because keys enter in ascending index order.
     *
     * @param keys candidate keys in ascending index order, {@code count > slots > 0}.
     * @param count number of keys.
     * @param slots how many to keep.
     * @param buffer work array of at least count longs.
     * @param counts work array of at least {@link #COUNTS} ints.
     */
    static void sortSmallest(long[] keys, int count, int slots, long[] buffer, int[] counts) {
        if ((long) slots * TOP_LIST_RATIO < count) {
            keepSmallest(keys, count, slots);
        } else {
            radixSort(keys, count, buffer, counts);
        }
    }

    /** Sorted top list of the {@code slots} smallest keys, kept in {@code keys[0 .. slots)}. */
    private static void keepSmallest(long[] keys, int count, int slots) {
        Arrays.sort(keys, 0, slots);
        int last = slots - 1;
        long threshold = keys[last];
        for (int i = slots; i < count; i++) {
            long key = keys[i];
            if (key < threshold) {
                int pos = Arrays.binarySearch(keys, 0, last, key);
                pos = -pos - 1;   // keys are distinct: never found, so this is the insertion point
                System.arraycopy(keys, pos, keys, pos + 1, last - pos);
                keys[pos] = key;
                threshold = keys[last];
            }
        }
    }

    /**
     * Stable LSD radix sort of {@code keys[0 .. count)} by the value word (bits 32..62), 8 bits per
     * pass; a pass whose digit is the same for every key (common in the exponent) is skipped.
     */
    private static void radixSort(long[] keys, int count, long[] buffer, int[] counts) {
        Arrays.fill(counts, 0, COUNTS, 0);
        for (int i = 0; i < count; i++) {
            long word = keys[i] >>> 32;
            counts[(int) (word & 0xff)]++;
            counts[BUCKETS + (int) ((word >>> 8) & 0xff)]++;
            counts[2 * BUCKETS + (int) ((word >>> 16) & 0xff)]++;
            counts[3 * BUCKETS + (int) ((word >>> 24) & 0xff)]++;
        }
        long[] src = keys;
        long[] dst = buffer;
        for (int digit = 0; digit < DIGITS; digit++) {
            int base = digit * BUCKETS;
            int shift = 32 + digit * DIGIT_BITS;
            if (counts[base + (int) ((src[0] >>> shift) & 0xff)] == count) {
                continue;   // every key has this digit: the pass would not move anything
            }
            int start = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = counts[base + b];
                counts[base + b] = start;
                start += c;
            }
            for (int i = 0; i < count; i++) {
                long key = src[i];
                dst[counts[base + (int) ((key >>> shift) & 0xff)]++] = key;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != keys) {
            System.arraycopy(src, 0, keys, 0, count);
        }
    }
}
