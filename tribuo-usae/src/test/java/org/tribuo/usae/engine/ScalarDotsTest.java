package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The four-accumulator scalar dot product of the sparse backward, on hand-made values. */
class ScalarDotsTest {
    @Test
    void dotSumsEveryTermIncludingTheTail() {
        float[] a = {9f, 1f, 2f, 3f, 4f, 5f, 6f};
        float[] b = {7f, 1f, 1f, 1f, 1f, 2f, -1f};
        // from offset 1, 5 terms: 1*1 + 2*1 + 3*1 + 4*1 (four chains) + 5*2 (tail) = 20
        assertEquals(20f, ScalarDots.dot(a, 1, b, 1, 5), 0f);
        // 7 terms from 0: 63 + 1 + 2 + 3 + 4 + 10 - 6 = 77
        assertEquals(77f, ScalarDots.dot(a, 0, b, 0, 7), 0f);
        // shorter than one chain round: 2*1 + 3*1 = 5; empty: 0
        assertEquals(5f, ScalarDots.dot(a, 2, b, 2, 2), 0f);
        assertEquals(0f, ScalarDots.dot(a, 0, b, 0, 0), 0f);
    }

    @Test
    void dotKeepsFourPartialSums() {
        // 8 terms 2^24, 1, 0, 0, 1, 1, 0, 0; element c goes to chain c % 4:
        // chain 0 = 2^24 + 1 (c = 4) = 16777217, which rounds to even: 16777216; chain 1 = 1 + 1 = 2;
        // chains 2, 3 = 0; (16777216 + 2) + (0 + 0) = 16777218 (representable).
        // One running sum would give 16777216 (each +1 to 2^24 rounds away).
        float[] a = {16777216f, 1f, 0f, 0f, 1f, 1f, 0f, 0f};
        float[] b = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
        assertEquals(16777218f, ScalarDots.dot(a, 0, b, 0, 8), 0f);
        float[] grad = new float[4];
        ScalarDots.addDots4(b, 0, a, 8, grad, 0, 0, 1, 0, 2, 0, 3, 0);
        assertEquals(16777218f, grad[0], 0f);
        assertEquals(16777218f, grad[3], 0f);
    }
}
