package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenPolicyTest {
    static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void dropsClsAndRegistersAndMakesASquareGrid() {
        // [B=2, T=1+4+16, C=3]: CLS, 4 registers, a 4x4 grid of patches.
        Activation a = new Activation("t", new long[]{2, 21, 3}, iota(2 * 21 * 3));
        TokenGrid g = TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(5).squareGrid().build().apply(a);
        assertEquals(2, g.batch());
        assertEquals(4, g.h());
        assertEquals(4, g.w());
        assertEquals(3, g.c());
        // First kept token of input 1 is token 5: value (1*21 + 5)*3.
        assertEquals((21 + 5) * 3f, g.data()[16 * 3]);
        assertEquals(5 * 3f, g.data()[0]);
    }

    @Test
    void sequenceIsOneRowByDefaultAndTrailingDrops() {
        Activation a = new Activation("t", new long[]{1, 6, 2}, iota(12));
        TokenGrid g = TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(1).dropTrailing(1).build().apply(a);
        assertEquals(1, g.h());
        assertEquals(4, g.w());
        assertArrayEquals(new float[]{2, 3, 4, 5, 6, 7, 8, 9}, g.data());
    }

    @Test
    void nchwBecomesChannelsLast() {
        // [1, C=2, H=2, W=3]: channel 0 = 0..5, channel 1 = 6..11.
        Activation a = new Activation("conv", new long[]{1, 2, 2, 3}, iota(12));
        TokenGrid g = TokenPolicy.builder(TokenPolicy.Layout.NCHW).build().apply(a);
        assertEquals(2, g.h());
        assertEquals(3, g.w());
        assertArrayEquals(new float[]{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}, g.data());
    }

    @Test
    void resizeAppliesAfterDrop() {
        Activation a = new Activation("t", new long[]{1, 1 + 256, 2}, iota(257 * 2));
        TokenGrid g = TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(1).squareGrid().resize(14, 14).build().apply(a);
        assertEquals(196, g.tokens());
        assertEquals(2, g.c());
    }

    @Test
    void wrongShapesAreNamed() {
        Activation a = new Activation("layer7", new long[]{1, 10, 2}, new float[20]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(2).squareGrid().build().apply(a));
        assertTrue(e.getMessage().contains("layer7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TokenPolicy.builder(TokenPolicy.Layout.NCHW).build().apply(a));
        assertThrows(IllegalArgumentException.class, () -> TokenPolicy.builder(TokenPolicy.Layout.TOKENS).grid(3, 3).build().apply(a));
        assertThrows(IllegalArgumentException.class, () -> TokenPolicy.builder(TokenPolicy.Layout.NCHW).dropLeading(1).build());
    }
}
