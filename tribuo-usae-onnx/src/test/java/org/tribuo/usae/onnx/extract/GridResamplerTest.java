package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class GridResamplerTest {

    static TokenGrid grid(int h, int w, int c) {
        float[] d = new float[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    // channel ch holds (ch+1) times the base pattern, so channels must not mix.
                    d[(y * w + x) * c + ch] = (ch + 1) * (float) (Math.sin(0.7 * y) + Math.cos(0.3 * x * x) + 0.1 * y * x);
                }
            }
        }
        return new TokenGrid(1, h, w, c, d);
    }

    @Test
    void halvingIsTheOneThreeThreeOneKernel() {
        // By hand: s = 2, support 2; output o>0 takes inputs 2o-1..2o+2 with triangle weights
        // 0.25, 0.75, 0.75, 0.25 -> [1,3,3,1]/8; output 0 is clipped at the edge: 0.75,0.75,0.25 -> [3,3,1]/7.
        GridResampler.Axis a = GridResampler.axis(8, 4);
        assertEquals(0, a.start()[0]);
        assertArrayEquals(new double[]{3 / 7.0, 3 / 7.0, 1 / 7.0}, a.weights()[0], 1e-12);
        assertEquals(1, a.start()[1]);
        assertArrayEquals(new double[]{1 / 8.0, 3 / 8.0, 3 / 8.0, 1 / 8.0}, a.weights()[1], 1e-12);
        assertEquals(5, a.start()[3]);
        assertArrayEquals(new double[]{1 / 7.0, 3 / 7.0, 3 / 7.0}, a.weights()[3], 1e-12);
    }

    @Test
    void upsamplingIsHalfPixelBilinear() {
        // 2 -> 4: centres 0.25, 0.75, 1.25, 1.75 (in input pixels, half-pixel convention): outputs
        // x0, 0.75x0+0.25x1, 0.25x0+0.75x1, x1.
        TokenGrid g = new TokenGrid(1, 1, 2, 1, new float[]{1f, 5f});
        TokenGrid r = GridResampler.resize(g, 1, 4);
        assertArrayEquals(new float[]{1f, 2f, 4f, 5f}, r.data(), 1e-6f);
    }

    @Test
    void sameSizeIsIdentityAndConstantsStayConstant() {
        TokenGrid g = grid(5, 7, 3);
        assertSame(g, GridResampler.resize(g, 5, 7));
        float[] ones = new float[16 * 16 * 2];
        java.util.Arrays.fill(ones, 2.5f);
        TokenGrid r = GridResampler.resize(new TokenGrid(1, 16, 16, 2, ones), 14, 14);
        for (float v : r.data()) {
            assertEquals(2.5f, v, 1e-6f);
        }
    }

    /**
     * Also checked against PyTorch itself (Debian python3-torch 1.13): torch's
     * {@code F.interpolate(g[None,None], size, mode="bilinear", antialias=True, align_corners=False)}
     * gives every value below within 4e-6 (float32 rounding; the tolerance here is 2e-5 relative).
     * Reference values computed once with numpy: PyTorch's
     * antialiased bilinear weights (aten {@code _compute_indices_min_size_weights_aa},
     * align_corners=False) built as dense per-axis matrices {@code Wy @ g @ Wx.T} in float64 on
     * {@code g[y,x] = float32(sin(0.7y) + cos(0.3x^2) + 0.1yx)}, printed as float32. Script:
     * <pre>
     * def mat(n, m):
     *     s = n/m; sup = s if s >= 1 else 1.0; inv = 1/s if s >= 1 else 1.0
     *     W = np.zeros((m, n))
     *     for o in range(m):
     *         c = s*(o+0.5); lo = max(int(c-sup+0.5), 0); hi = min(int(c+sup+0.5), n)
     *         for j in range(lo, hi): W[o, j] = max(0.0, 1-abs((j-c+0.5)*inv))
     *         W[o] /= W[o].sum()
     *     return W
     * </pre>
     */
    @Test
    void matchesNumpyReference16to14And3x5to5x2() {
        TokenGrid r = GridResampler.resize(grid(16, 16, 2), 14, 14);
        check(r, 0, 0, 1.1027034521102905);
        check(r, 0, 1, 0.9192860722541809);
        check(r, 3, 7, 4.255586624145508);
        check(r, 13, 13, 21.066892623901367);
        check(r, 7, 0, 0.5802221894264221);
        TokenGrid q = GridResampler.resize(grid(3, 5, 2), 5, 2);
        check(q, 0, 0, 0.750261127948761);
        check(q, 0, 1, -0.2162286937236786);
        check(q, 3, 1, 1.112728238105774);
        check(q, 4, 1, 1.3692210912704468);
        check(q, 2, 0, 1.4944788217544556);
    }

    private static void check(TokenGrid g, int y, int x, double expected) {
        for (int ch = 0; ch < g.c(); ch++) {
            assertEquals((ch + 1) * expected, g.data()[(y * g.w() + x) * g.c() + ch], 2e-5 * (ch + 1) * Math.max(1, Math.abs(expected)),
                    "y=" + y + " x=" + x + " ch=" + ch);
        }
    }
}
