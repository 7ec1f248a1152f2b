package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules the TensorFlow.js-converted CNNs need (docs/cam.md): constant Pad (Keras ZeroPadding2D, negative pads,
 * the opset 10 attribute and opset 18 axes forms), AveragePool with TF SAME padding and {@code count_include_pad=0}
 * (each border window divides by its own element count), Conv with TF's asymmetric SAME pads, and all of them
 * after an NHWC-to-NCHW Transpose and before a channel Concat. Each is checked exactly against a hand-written
 * adjoint where one is simple, and against central differences.
 */
class PadPoolGradientTest {

    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output,
                                         OnnxMl.AttributeProto... attrs) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addOutput(output);
        for (OnnxMl.AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    /** {@code 0, 1, 2, ...} as floats: a seed whose every element is told apart. */
    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    /**
     * Pad of {@code x [1, 2, 3, 4]} on H by (begin, end) = (bh, eh) and on W by (bw, ew), with the value 0.5, as
     * the graph output; opset 13 (pads as an input).
     */
    private static byte[] padGraph(int opset, long bh, long bw, long eh, long ew) {
        TestGraphs.Builder b = new TestGraphs.Builder(opset, "x", new long[]{1, 2, 3, 4}, 0);
        GraphEmitter e = b.e;
        long[] pads = {0, 0, bh, bw, 0, 0, eh, ew};
        if (opset < 11) {
            e.nodes().add(node("Pad", "pad", List.of("x"), "y", GraphEmitter.ints("pads", pads),
                    GraphEmitter.floatAttr("value", 0.5f)));
        } else if (opset < 18) {
            e.nodes().add(node("Pad", "pad", List.of("x", e.longs(pads), e.scalar(0.5f)), "y"));
        } else {
            // Opset 18: pads for the listed axes only.
            e.nodes().add(node("Pad", "pad", List.of("x", e.longs(bh, bw, eh, ew), e.scalar(0.5f), e.longs(-2, -1)),
                    "y"));
        }
        return b.model("y");
    }

    /** dx of a Pad with pads (bh, bw, eh, ew) on H, W: the seed read at y = x + begin, 0 where that is cropped. */
    private static float[] padAdjoint(float[] seed, long bh, long bw, long eh, long ew) {
        int h = 3, w = 4;
        int yh = (int) (h + bh + eh), yw = (int) (w + bw + ew);
        float[] dx = new float[2 * h * w];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    long yi = i + bh, yj = j + bw;
                    if (yi >= 0 && yi < yh && yj >= 0 && yj < yw) {
                        dx[(c * h + i) * w + j] = seed[(int) ((c * yh + yi) * yw + yj)];
                    }
                }
            }
        }
        return dx;
    }

    @ParameterizedTest(name = "opset {0}, pads H ({1}, {3}) W ({2}, {4})")
    @CsvSource({
            "13, 1, 0, 2, 3",    // Keras ZeroPadding2D((1, 2), (0, 3)): asymmetric
            "13, 0, 1, 1, 0",    // TF SAME stride-2 padding before a VALID conv
            "13, -1, 2, 1, -2",  // crops and pads at once
            "10, 2, 1, 0, 1",    // pads as an attribute
            "18, 1, 1, 0, 2"})   // pads for axes (-2, -1) only
    void constantPadSendsBackTheWindowWhereTheInputSits(int opset, long bh, long bw, long eh, long ew) {
        GradientGraph gg = GradientGraphBuilder.build("pad", padGraph(opset, bh, bw, eh, ew), "x",
                new long[]{1, 2, 3, 4}, "y");
        assertArrayEquals(new long[]{1, 2, 3 + bh + eh, 4 + bw + ew}, gg.outputShape());
        float[] seed = ramp(GradientGraphBuilderTest.size(gg.outputShape()));
        try (InputGradient ig = new InputGradient(gg, 1)) {
            assertArrayEquals(padAdjoint(seed, bh, bw, eh, ew), ig.run(ramp(24), seed).gradient());
        }
        GradientGraphBuilderTest.assertMatchesFiniteDifferences(gg, GradientGraphBuilderTest.gaussian(
                new Random(opset), 24, 1), 3, 1e-2, 2e-3);
    }

    @Test
    void reflectPadIsRefusedByMode() {
        TestGraphs.Builder b = new TestGraphs.Builder(13, "x", new long[]{1, 1, 3, 3}, 0);
        b.e.nodes().add(node("Pad", "mirror", List.of("x", b.e.longs(0, 0, 1, 1, 0, 0, 1, 1)), "y",
                OnnxMl.AttributeProto.newBuilder().setName("mode").setType(OnnxMl.AttributeProto.AttributeType.STRING)
                        .setS(com.google.protobuf.ByteString.copyFromUtf8("reflect")).build()));
        GradientException ex = assertThrows(GradientException.class,
                () -> GradientGraphBuilder.build("reflect", b.model("y"), "x", new long[]{1, 1, 3, 3}, "y"));
        assertTrue(ex.getMessage().contains("Pad node 'mirror'") && ex.getMessage().contains("mode=reflect"),
                ex.getMessage());
    }

    /** TF SAME padding of one axis: (begin, end) with the extra element at the end. */
    private static long[] samePads(long in, long kernel, long stride) {
        long out = (in + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + kernel - in, 0);
        return new long[]{total / 2, total - total / 2};
    }

    /**
     * The adjoint of a 2-D average pool over {@code [C, h, w]}, written out: every output's gradient divided by
     * its window's divisor (the kernel area, or with {@code excludePad} the window's elements inside the input)
     * and added to each input element of the window.
     */
    private static float[] averagePoolAdjoint(float[] dy, int c, int h, int w, int k, int s, long[] ph, long[] pw,
                                              int oh, int ow, boolean excludePad) {
        double[] dx = new double[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int oi = 0; oi < oh; oi++) {
                for (int oj = 0; oj < ow; oj++) {
                    int count = 0;
                    for (int a = 0; a < k; a++) {
                        for (int bb = 0; bb < k; bb++) {
                            long i = oi * s - ph[0] + a, j = oj * s - pw[0] + bb;
                            if (i >= 0 && i < h && j >= 0 && j < w) {
                                count++;
                            }
                        }
                    }
                    double share = dy[(ch * oh + oi) * ow + oj] / (double) (excludePad ? count : k * k);
                    for (int a = 0; a < k; a++) {
                        for (int bb = 0; bb < k; bb++) {
                            long i = oi * s - ph[0] + a, j = oj * s - pw[0] + bb;
                            if (i >= 0 && i < h && j >= 0 && j < w) {
                                dx[(int) ((ch * h + i) * w + j)] += share;
                            }
                        }
                    }
                }
            }
        }
        float[] f = new float[dx.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) dx[i];
        }
        return f;
    }

    @ParameterizedTest(name = "{0}x{1}, stride {2}, count_include_pad {3}")
    @CsvSource({
            "6, 6, 1, 0", "7, 7, 1, 0",  // InceptionV3's 3x3 SAME stride-1 pools: pads (1, 1)
            "6, 6, 2, 0",                // even size, stride 2: pads (0, 1), only the last window is short
            "7, 7, 2, 0",                // odd size, stride 2: pads (1, 1)
            "6, 7, 2, 0",                // even H, odd W
            "7, 6, 2, 1"})               // padding counted: every window divides by 9
    void sameAveragePoolDividesEachWindowByItsOwnCount(int h, int w, int stride, int countIncludePad) {
        int c = 2, k = 3;
        long[] ph = samePads(h, k, stride);
        long[] pw = samePads(w, k, stride);
        long[] shape = {1, c, h, w};
        TestGraphs.Builder b = new TestGraphs.Builder(13, "x", shape, 0);
        b.e.nodes().add(node("AveragePool", "avg", List.of("x"), "y", GraphEmitter.ints("kernel_shape", k, k),
                GraphEmitter.ints("strides", stride, stride), GraphEmitter.ints("pads", ph[0], pw[0], ph[1], pw[1]),
                GraphEmitter.intAttr("count_include_pad", countIncludePad)));
        GradientGraph gg = GradientGraphBuilder.build("avg", b.model("y"), "x", shape, "y");
        int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
        assertArrayEquals(new long[]{1, c, oh, ow}, gg.outputShape());
        float[] seed = GradientGraphBuilderTest.gaussian(new Random(h * 31L + w), c * oh * ow, 1);
        float[] x = GradientGraphBuilderTest.gaussian(new Random(5), c * h * w, 1);
        try (InputGradient ig = new InputGradient(gg, 1)) {
            assertArrayEquals(averagePoolAdjoint(seed, c, h, w, k, stride, ph, pw, oh, ow, countIncludePad == 0),
                    ig.run(x, seed).gradient(), 1e-6f);
        }
        GradientGraphBuilderTest.assertMatchesFiniteDifferences(gg, x, 9, 1e-2, 2e-3);
    }

    /**
     * A converted-CNN-shaped graph, opset 13: NHWC image {@code [1, 7, 7, 3]} -> Transpose to NCHW -> Pad (0, 1) on
     * H and W (ZeroPadding2D) -> Conv 3x3 stride 2 VALID -> Clip(-1, 1) with bounds as inputs (Relu6-like) ->
     * two branches, a SAME average pool without the padding counted and a 1x7 Conv with pads (0, 3) -> Concat
     * along channels -> ReduceMean over H (axes as an attribute) -> Squeeze of H.
     */
    @Test
    void convertedCnnShapedGraphMatchesCentralDifferences() {
        long[] shape = {1, 7, 7, 3};
        TestGraphs.Builder b = new TestGraphs.Builder(13, "image", shape, 21);
        GraphEmitter e = b.e;
        String nchw = e.op("Transpose", "image", GraphEmitter.ints("perm", 0, 3, 1, 2));
        String padded = e.op("Pad", List.of(nchw, e.longs(0, 0, 0, 0, 0, 0, 1, 1)));
        String conv = e.op("Conv", List.of(padded, b.gaussian(0.4f, 4, 3, 3, 3), b.gaussian(0.1f, 4)),
                GraphEmitter.ints("kernel_shape", 3, 3), GraphEmitter.ints("strides", 2, 2));
        String clipped = e.op("Clip", List.of(conv, e.scalar(-1f), e.scalar(1f)));
        String avg = e.op("AveragePool", clipped, GraphEmitter.ints("kernel_shape", 3, 3),
                GraphEmitter.ints("pads", 1, 1, 1, 1), GraphEmitter.intAttr("count_include_pad", 0));
        String wide = e.op("Conv", List.of(clipped, b.gaussian(0.3f, 2, 4, 1, 7)), GraphEmitter.ints("kernel_shape", 1, 7),
                GraphEmitter.ints("pads", 0, 3, 0, 3));
        String joined = e.op("Concat", List.of(avg, wide), GraphEmitter.intAttr("axis", 1));
        String mean = e.op("ReduceMean", joined, GraphEmitter.ints("axes", 2), GraphEmitter.intAttr("keepdims", 1));
        e.nodes().add(node("Squeeze", "squeeze", List.of(mean, e.longs(2)), "features"));
        GradientGraph gg = GradientGraphBuilder.build("cnn", b.model("features"), "image", shape, "features");
        assertArrayEquals(new long[]{1, 6, 3}, gg.outputShape());
        float[] x = GradientGraphBuilderTest.gaussian(new Random(4), 7 * 7 * 3, 1);
        GradientGraphBuilderTest.assertMatchesFiniteDifferences(gg, x, 13, 1e-3, 2e-3);
    }
}
