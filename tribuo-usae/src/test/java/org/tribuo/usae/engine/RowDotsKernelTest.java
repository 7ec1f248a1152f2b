package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dot kernels this JVM dispatches to (vector or scalar, see {@link RowDotsDispatchTest}): exact on
 * integers, each of {@code addDots4}'s sums bit-equal to {@code dot} (the backward's bit-for-bit tests rely
 * on it), and close to a double-precision reference.
 */
class RowDotsKernelTest {
    /** Widths around the vector lengths (2 to 16 lanes: below, at, just past one and two vectors) and paper widths. */
    private static final int[] WIDTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 384, 768, 1031};

    @Test
    void integerDotsAreExact() {
        // a = 1..n, b = 1: sum = n (n + 1) / 2, exact in float for these n (all partial sums are small integers)
        for (int n : WIDTHS) {
            float[] a = new float[n + 2];
            float[] b = new float[n + 5];
            for (int c = 0; c < n; c++) {
                a[c + 2] = c + 1;
                b[c + 5] = 1f;
            }
            float expected = n * (n + 1) / 2f;
            assertEquals(expected, RowDots.dot(a, 2, b, 5, n), 0f, "n = " + n);
            float[] grad = {0.5f, 0f, 0f, -1f};
            // rows at offsets 5 (four times: ties), each sum n (n + 1) / 2 added to grad
            RowDots.addDots4(a, 2, b, n, grad, 0, 5, 1, 5, 2, 5, 3, 5);
            assertEquals(0.5f + expected, grad[0], 0f, "n = " + n);
            assertEquals(expected - 1f, grad[3], 0f, "n = " + n);
        }
    }

    @Test
    void fourDotsPerPassEqualOneDotEachBitForBit() {
        Random rng = new Random(51);
        for (int d : WIDTHS) {
            int m = 9;
            float[] rows = SlotCodesFixtures.gaussian(rng, m * d);
            java.util.Arrays.fill(rows, 3 * d, 4 * d, 0f);   // row 3 all zeros
            if (d > 0) {
                rows[5 * d] = -0f;
            }
            float[] a = SlotCodesFixtures.gaussian(rng, 3 * d + 1);
            for (int rep = 0; rep < 6; rep++) {
                int ao = rng.nextInt(2 * d + 2);            // any offset, also unaligned
                int[] r = {rng.nextInt(m), rng.nextInt(m), 3, rng.nextInt(m)};
                if (rep % 2 == 0) {
                    r[1] = r[0];                             // the same row twice
                }
                float[] grad = SlotCodesFixtures.gaussian(rng, 6);
                float[] expected = grad.clone();
                int[] q = {4, 1, 5, 0};
                for (int i = 0; i < 4; i++) {
                    expected[q[i]] += RowDots.dot(a, ao, rows, r[i] * d, d);
                }
                RowDots.addDots4(a, ao, rows, d, grad, q[0], r[0] * d, q[1], r[1] * d, q[2], r[2] * d,
                        q[3], r[3] * d);
                for (int i = 0; i < 6; i++) {
                    assertEquals(expected[i], grad[i], 0f, "d = " + d + ", rep " + rep + ", grad " + i);
                }
            }
        }
    }

    /**
     * Against a double dot: |float - double| <= 1e-5 * sum |a_c b_c|. Worst-case rounding of a float sum of
     * chains of length L is about L * 2^-24 * sum |a_c b_c|; the longest chain here is the scalar kernel's
     * 1031 / 4 = 258 terms (1.5e-5 in the worst case, far less for random signs), the vector kernel's at most
     * 1031 / 32 + 4 + 15.
     */
    @Test
    void dotsAreCloseToADoubleReference() {
        Random rng = new Random(52);
        for (int d : WIDTHS) {
            float[] a = SlotCodesFixtures.gaussian(rng, d);
            float[] b = SlotCodesFixtures.gaussian(rng, d);
            double exact = 0;
            double abs = 0;
            for (int c = 0; c < d; c++) {
                exact += (double) a[c] * b[c];
                abs += Math.abs((double) a[c] * b[c]);
            }
            assertEquals(exact, RowDots.dot(a, 0, b, 0, d), 1e-5 * abs, "d = " + d);
        }
    }
}
