package org.tribuo.usae.onnx.cam;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CropBoxTest {

    @Test
    void wholeImageAtTheSameSizeIsTheIdentity() {
        double[] img = new double[3 * 4 * 5];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        assertArrayEquals(img, CropBox.whole(4, 5).sample(img, 4, 5, 4, 5), 1e-12);
    }

    @Test
    void halvingAveragesPixelPairs() {
        // 1x4 -> 1x2 along x: output centres map to source x = 0.5 and 2.5, the mean of pixels (0,1) and (2,3).
        double[] img = new double[3 * 4];
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < 4; x++) {
                img[c * 4 + x] = 10 * c + x * x;
            }
        }
        double[] out = CropBox.whole(1, 4).sample(img, 1, 4, 1, 2);
        assertArrayEquals(new double[]{0.5, 6.5, 10.5, 16.5, 20.5, 26.5}, out, 1e-12);
    }

    @Test
    void adjointIsTheTranspose() {
        Random r = new Random(1);
        CropBox box = CropBox.random(r, 20, 30, 0.25, 0.3);
        assertTrue(box.y0() >= 0 && box.y0() + box.bh() <= 20 + 1e-9);
        double[] x = new double[3 * 20 * 30];
        double[] g = new double[3 * 8 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextGaussian();
        }
        double[] sx = box.sample(x, 20, 30, 8, 12);
        double[] ag = box.adjoint(g, 20, 30, 8, 12);
        double lhs = 0;
        double rhs = 0;
        for (int i = 0; i < g.length; i++) {
            lhs += sx[i] * g[i];
        }
        for (int i = 0; i < x.length; i++) {
            rhs += x[i] * ag[i];
        }
        assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)));
    }
}
