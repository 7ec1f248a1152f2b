package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Foreground coverage of token cells on hand-made alpha planes with exact answers. */
class ForegroundCoverageTest {
    static Image alpha(int h, int w, int[][] opaque, float value) {
        float[] a = new float[h * w];
        for (int[] yx : opaque) {
            a[yx[0] * w + yx[1]] = value;
        }
        return new Image(h, w, 1, a);
    }

    static int[] kept(boolean[] keep) {
        return java.util.stream.IntStream.range(0, keep.length).filter(p -> keep[p]).toArray();
    }

    @Test
    void cellsCoveredWholeHalfAndAQuarter() {
        // 8x8 plane, no resize, 4x4 grid of 2x2-pixel cells: cell (0,0) all 4 pixels, cell (1,1) 2 of 4,
        // cell (3,3) 1 of 4; any alpha above 0 counts (0.01 here)
        Image a = alpha(8, 8, new int[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {3, 3}, {7, 7}}, 0.01f);
        float[] cov = ForegroundCoverage.of(a, new ImagePreprocessor(8, 8), 4, 4);
        float[] want = new float[16];
        want[0] = 1f;
        want[5] = 0.5f;
        want[15] = 0.25f;
        assertArrayEquals(want, cov, 0f);
        assertArrayEquals(new int[]{0, 5}, kept(ForegroundCoverage.keep(cov, 0.5)));
        assertArrayEquals(new int[]{0, 5, 15}, kept(ForegroundCoverage.keep(cov, 0.25)));
        assertArrayEquals(new int[]{0}, kept(ForegroundCoverage.keep(cov, 0.51)));
        assertEquals(16, kept(ForegroundCoverage.keep(cov, 0)).length); // 0 keeps all, background too
    }

    @Test
    void cellsThatCutPixelsWeighThePartInside() {
        // 6x6 plane, 4x4 grid: cells are 1.5 pixels; pixel (0,0) fills 1 of cell (0,0)'s 2.25 square pixels,
        // pixel (1,1) fills 0.25 of cell (0,0) and 0.25 of cells (0,1), (1,0), (1,1) each
        Image a = alpha(6, 6, new int[][]{{0, 0}, {1, 1}}, 1f);
        float[] cov = ForegroundCoverage.of(a, new ImagePreprocessor(6, 6), 4, 4);
        assertEquals(1.25 / 2.25, cov[0], 1e-6);
        assertEquals(0.25 / 2.25, cov[1], 1e-6);
        assertEquals(0.25 / 2.25, cov[4], 1e-6);
        assertEquals(0.25 / 2.25, cov[5], 1e-6);
        assertEquals(0, cov[2]);
    }

    @Test
    void paddingOfTheCanvasIsBackground() {
        // an opaque 4x4 image resized to 4x4 (no change) and centred on an 8x8 canvas: rows/columns 2..5;
        // a 4x4 grid of 2x2 cells: the middle 4 cells are covered, the ring around them is padding
        Image a = alpha(4, 4, new int[0][], 0f);
        java.util.Arrays.fill(a.data(), 1f);
        ImagePreprocessor pre = new ImagePreprocessor(8, 8).resizeTo(4, 4);
        float[] cov = ForegroundCoverage.of(a, pre, 4, 4);
        assertArrayEquals(new int[]{5, 6, 9, 10}, kept(ForegroundCoverage.keep(cov, 0.5)));
        assertArrayEquals(new int[]{5, 6, 9, 10}, kept(ForegroundCoverage.keep(cov, 1.0)));
        // resized like the pixels: a 2x2 image whose left column is opaque, upscaled to 8x8 with NEAREST,
        // covers exactly the left half: columns 0..3
        Image half = alpha(2, 2, new int[][]{{0, 0}, {1, 0}}, 1f);
        ImagePreprocessor up = new ImagePreprocessor(8, 8).interpolation(ImagePreprocessor.Interpolation.NEAREST);
        assertArrayEquals(new int[]{0, 1, 4, 5, 8, 9, 12, 13}, kept(ForegroundCoverage.keep(ForegroundCoverage.of(half, up, 4, 4), 1.0)));
        // BILINEAR blurs the edge over the middle columns: coverage there is between 0 and 1
        float[] soft = ForegroundCoverage.of(half, new ImagePreprocessor(8, 8), 1, 4);
        assertEquals(1f, soft[0], 0f);
        assertTrue(soft[1] > 0.5 && soft[1] < 1, "cell 1: " + soft[1]);
        assertTrue(soft[2] > 0 && soft[2] < 0.5, "cell 2: " + soft[2]);
        assertEquals(0f, soft[3], 0f);
        assertFalse(ForegroundCoverage.keep(soft, 0.5)[2]);
    }
}
