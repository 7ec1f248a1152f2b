package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The four-accumulator dot product of the sparse backward, on hand-made values. */
class SparseDecodeDotTest {
    @Test
    void dotSumsEveryTermIncludingTheTail() {
        float[] a = {9f, 1f, 2f, 3f, 4f, 5f, 6f};
        float[] b = {7f, 1f, 1f, 1f, 1f, 2f, -1f};
        // from offset 1, 5 terms: 1*1 + 2*1 + 3*1 + 4*1 (four chains) + 5*2 (tail) = 20
        assertEquals(20f, SparseDecode.dot(a, 1, b, 1, 5), 0f);
        // 7 terms from 0: 63 + 1 + 2 + 3 + 4 + 10 - 6 = 77
        assertEquals(77f, SparseDecode.dot(a, 0, b, 0, 7), 0f);
        // shorter than one chain round: 2*1 + 3*1 = 5; empty: 0
        assertEquals(5f, SparseDecode.dot(a, 2, b, 2, 2), 0f);
        assertEquals(0f, SparseDecode.dot(a, 0, b, 0, 0), 0f);
    }
}
