package org.tribuo.usae.onnx.autodiff;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientGraphBuilderTest {

    /**
     * Directional derivative of {@code <seed, f>} along {@code v}: analytic {@code <grad, v>} (grad computed once
     * by the caller) and the central difference of two forward-only runs.
     */
    static double[] directional(InputGradient ig, float[] x, float[] seed, float[] grad, float[] v, double h) {
        double analytic = 0;
        for (int i = 0; i < x.length; i++) {
            analytic += (double) grad[i] * v[i];
        }
        float[] plus = x.clone();
        float[] minus = x.clone();
        for (int i = 0; i < x.length; i++) {
            plus[i] += (float) (h * v[i]);
            minus[i] -= (float) (h * v[i]);
        }
        float[] fp = ig.output(plus);
        float[] fm = ig.output(minus);
        double numeric = 0;
        for (int i = 0; i < fp.length; i++) {
            numeric += (double) seed[i] * (fp[i] - fm[i]);
        }
        return new double[]{analytic, numeric / (2 * h)};
    }

    static float[] gaussian(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    static int size(long[] shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        return n;
    }

    /**
     * Checks several random directions, and the single-pixel directions of the largest gradient entries, against
     * central differences: |analytic - numeric| <= relTol * (|numeric| + scale), where scale is the typical
     * magnitude so that near-zero derivatives are not judged relatively.
     */
    static void assertMatchesFiniteDifferences(GradientGraph gg, float[] x, long seedValue, double h, double relTol) {
        Random r = new Random(seedValue);
        try (InputGradient ig = new InputGradient(gg, 1)) {
            float[] seed = gaussian(r, size(gg.outputShape()), 1);
            float[] grad = ig.run(x, seed).gradient();
            for (int trial = 0; trial < 3; trial++) {
                float[] v = gaussian(r, x.length, 1);
                double[] an = directional(ig, x, seed, grad, v, h);
                assertEquals(an[1], an[0], relTol * (Math.abs(an[1]) + 1e-3),
                        "direction " + trial + ": analytic " + an[0] + " vs central difference " + an[1]);
            }
            int best = 0;
            for (int i = 1; i < grad.length; i++) {
                if (Math.abs(grad[i]) > Math.abs(grad[best])) {
                    best = i;
                }
            }
            float[] e = new float[x.length];
            e[best] = 1;
            double[] an = directional(ig, x, seed, grad, e, h);
            assertEquals(an[1], an[0], relTol * (Math.abs(an[1]) + 1e-3), "pixel " + best);
        }
    }

    /**
     * For networks with many ReLU/Clip kinks and max pools (the OCR nets), a single central difference is
     * noisy: a step crosses some kinks, and float32 rounding grows as h shrinks. So this compares the vector of
     * directional derivatives along {@code directions} unit-norm random directions, in aggregate:
     * ||analytic - numeric|| <= relTol ||numeric||. A wrong rule (a transposed kernel, a wrong scale, a
     * missing branch) gives errors of order 1; the exact per-rule checks are the small-graph tests.
     *
     * @return the measured relative error (also printed with the pairs).
     */
    static double assertAgreesInAggregate(GradientGraph gg, float[] x, long seedValue, int directions, double h,
                                          double relTol) {
        Random r = new Random(seedValue);
        try (InputGradient ig = new InputGradient(gg, 0)) {
            float[] seed = gaussian(r, size(gg.outputShape()), 1);
            float[] grad = ig.run(x, seed).gradient();
            double err = 0;
            double norm = 0;
            StringBuilder pairs = new StringBuilder();
            for (int d = 0; d < directions; d++) {
                float[] v = gaussian(r, x.length, 1);
                double len = 0;
                for (float f : v) {
                    len += (double) f * f;
                }
                len = Math.sqrt(len);
                for (int i = 0; i < v.length; i++) {
                    v[i] /= (float) len;
                }
                double[] an = directional(ig, x, seed, grad, v, h);
                err += (an[0] - an[1]) * (an[0] - an[1]);
                norm += an[1] * an[1];
                pairs.append(String.format(" (%.4g vs %.4g)", an[0], an[1]));
            }
            double relative = Math.sqrt(err / norm);
            System.out.printf("%s: %d directional derivatives vs central differences (h=%.3g): relative error %.3g;%s%n",
                    gg.output(), directions, h, relative, pairs);
            assertTrue(relative <= relTol, "analytic vs central-difference directional derivatives: relative error "
                    + relative + ";" + pairs);
            return relative;
        }
    }

    @Test
    void maxPoolSendsEachWindowsGradientToItsMaximum() {
        // x [1,1,4,4]; 2x2 windows, stride 2. Window maxima (row, col): (0,1)=5, (1,3)=8, (3,0)=9, (2,2)=7.
        float[] x = {
                1, 5, 2, 0,
                3, 4, 6, 8,
                0, 2, 7, 1,
                9, 1, 3, 2};
        TestGraphs.Builder b = new TestGraphs.Builder(11, "x", new long[]{1, 1, 4, 4}, 0);
        b.e.nodes().add(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("MaxPool").setName("pool")
                .addInput("x").addOutput("y").addAttribute(GraphEmitter.ints("kernel_shape", 2, 2))
                .addAttribute(GraphEmitter.ints("strides", 2, 2)).build());
        GradientGraph gg = GradientGraphBuilder.build("pool", b.model("y"), "x", new long[]{1, 1, 4, 4}, "y");
        assertArrayEquals(new long[]{1, 1, 2, 2}, gg.outputShape());
        try (InputGradient ig = new InputGradient(gg, 1)) {
            InputGradient.Result r = ig.run(x, new float[]{10, 20, 30, 40});
            assertArrayEquals(new float[]{5, 8, 9, 7}, r.output());
            // Seeds 10, 20, 30, 40 land on the window maxima; everything else gets 0.
            assertArrayEquals(new float[]{
                    0, 10, 0, 0,
                    0, 0, 0, 20,
                    0, 0, 40, 0,
                    30, 0, 0, 0}, r.gradient());
        }
    }

    @Test
    void broadcastOperandsGetTheirGradientsSummed() {
        // y[i][j] = x[i][j] * w[j] + ReduceMean_j(x)[i]  with x [2,3], w = (1, 2, 3).
        // dy/dx[i][j] with seed 1 everywhere: w[j] + sum over the 3 outputs of row i of 1/3 = w[j] + 1.
        TestGraphs.Builder b = new TestGraphs.Builder(13, "x", new long[]{2, 3}, 0);
        GraphEmitter e = b.e;
        String scaled = e.op("Mul", "x", e.floats(new float[]{1, 2, 3}, 3));
        String mean = e.op("ReduceMean", "x", GraphEmitter.ints("axes", 1));
        b.e.nodes().add(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("Add").setName("sum")
                .addInput(scaled).addInput(mean).addOutput("y").build());
        GradientGraph gg = GradientGraphBuilder.build("bcast", b.model("y"), "x", new long[]{2, 3}, "y");
        try (InputGradient ig = new InputGradient(gg, 1)) {
            InputGradient.Result r = ig.run(new float[]{1, 2, 3, 4, 5, 6}, new float[]{1, 1, 1, 1, 1, 1});
            // Row 0: mean 2, y = (1+2, 4+2, 9+2); row 1: mean 5, y = (4+5, 10+5, 18+5).
            assertArrayEquals(new float[]{3, 6, 11, 9, 15, 23}, r.output(), 1e-6f);
            assertArrayEquals(new float[]{2, 3, 4, 2, 3, 4}, r.gradient(), 1e-6f);
        }
    }

    @Test
    void tinyVitInputGradientMatchesCentralDifferences() {
        byte[] model = TestGraphs.tinyVit(8, 3);
        GradientGraph gg = GradientGraphBuilder.build("tiny-vit", model, "image", new long[]{1, 3, 8, 8}, "tokens");
        assertArrayEquals(new long[]{1, 4, 8}, gg.outputShape());
        float[] x = gaussian(new Random(11), 3 * 8 * 8, 1);
        // float32 forward: central differences with h = 1e-2 agree to ~1e-4 relative; a 10% error in one
        // rule deep inside (Erf) moves the result by ~4e-3, so 2e-3 catches it.
        assertMatchesFiniteDifferences(gg, x, 5, 1e-2, 2e-3);
    }

    @Test
    void unsupportedOperatorIsRefusedByNameAndNode() {
        TestGraphs.Builder b = new TestGraphs.Builder(13, "x", new long[]{2}, 0);
        b.e.nodes().add(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("Sin").setName("wave")
                .addInput("x").addOutput("y").build());
        GradientException ex = assertThrows(GradientException.class,
                () -> GradientGraphBuilder.build("sine", b.model("y"), "x", new long[]{2}, "y"));
        assertTrue(ex.getMessage().contains("operator Sin at node 'wave'"), ex.getMessage());
    }

    @Test
    void outputThatIgnoresTheInputIsRefused() {
        TestGraphs.Builder b = new TestGraphs.Builder(13, "x", new long[]{2}, 0);
        b.e.nodes().add(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("Shape").setName("sh")
                .addInput("x").addOutput("y").build());
        GradientException ex = assertThrows(GradientException.class,
                () -> GradientGraphBuilder.build("shape", b.model("y"), "x", new long[]{2}, "y"));
        assertTrue(ex.getMessage().contains("does not depend differentiably on input 'x'"), ex.getMessage());
        assertThrows(GradientException.class,
                () -> GradientGraphBuilder.build("shape", b.model("y"), "image", new long[]{2}, "y"));
    }
}
