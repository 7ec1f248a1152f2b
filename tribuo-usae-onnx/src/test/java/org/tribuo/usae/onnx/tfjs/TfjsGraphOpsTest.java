package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.usae.onnx.tfjs.NhwcReference.T;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.assertClose;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.assertNchw;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.b;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.f;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.in;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.ints;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.s;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.strs;

/**
 * Graph-model ops one by one on tiny hand-made graphs (batch 2), run through ONNX Runtime and compared with the
 * plain-Java NHWC reference within 1e-5.
 */
class TfjsGraphOpsTest {
    @TempDir
    Path dir;

    private static long[] kshape(int kh, int kw, int c, int o) {
        return new long[]{kh, kw, c, o};
    }

    @ParameterizedTest(name = "{0}x{1} k{2} s{3} d{4} {5}")
    @CsvSource({"7,7,3,2,1,SAME", "8,8,3,2,1,SAME", "6,5,3,1,1,SAME", "8,7,2,2,1,SAME", "9,9,3,2,1,VALID",
            "7,8,3,1,2,SAME", "5,5,1,2,1,SAME"})
    void conv2dPaddingAndStrides(int h, int w, int k, int s, int d, String padding) throws Exception {
        T x = NhwcReference.random(2, h, w, 3, 1);
        float[] kernel = NhwcReference.random(k * k * 3 * 4, 2);
        Path m = TinyTfjs.graph().placeholder("x", 2, h, w, 3).constant("k", kshape(k, k, 3, 4), kernel)
                .node("conv", "Conv2D", in("x", "k"), "strides", ints(1, s, s, 1), "padding", s(padding),
                        "dilations", ints(1, d, d, 1), "data_format", s("NHWC"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("conv"), x.v());
        assertNchw(NhwcReference.conv(x, kernel, k, k, 4, s, d, padding.equals("SAME"), false, null),
                out.get("conv"), "conv");
    }

    @ParameterizedTest(name = "multiplier {0} stride {1}")
    @CsvSource({"1,1", "2,2", "1,2"})
    void depthwiseWithMultiplier(int mult, int stride) throws Exception {
        T x = NhwcReference.random(2, 8, 7, 3, 3);
        float[] kernel = NhwcReference.random(3 * 3 * 3 * mult, 4);
        Path m = TinyTfjs.graph().placeholder("x", 2, 8, 7, 3).constant("k", kshape(3, 3, 3, mult), kernel)
                .node("dw", "DepthwiseConv2dNative", in("x", "k"), "strides", ints(1, stride, stride, 1),
                        "padding", s("SAME"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("dw"), x.v());
        assertNchw(NhwcReference.conv(x, kernel, 3, 3, mult, stride, 1, true, true, null), out.get("dw"), "dw");
    }

    @Test
    void fusedConvBiasRelu6AndFusedDepthwiseBiasRelu() throws Exception {
        T x = NhwcReference.random(2, 6, 6, 2, 5);
        float[] k = NhwcReference.random(3 * 3 * 2 * 3, 6);
        float[] bias = NhwcReference.random(3, 7);
        float[] dk = NhwcReference.random(3 * 3 * 3, 8);
        float[] dbias = NhwcReference.random(3, 9);
        Path m = TinyTfjs.graph().placeholder("x", 2, 6, 6, 2).constant("k", kshape(3, 3, 2, 3), k)
                .constant("b", new long[]{3}, bias).constant("dk", kshape(3, 3, 3, 1), dk)
                .constant("db", new long[]{3}, dbias)
                .node("c/Relu6", "_FusedConv2D", in("x", "k", "b"), "strides", ints(1, 2, 2, 1), "padding", s("SAME"),
                        "fused_ops", strs("BiasAdd", "Relu6"), "num_args", TinyTfjs.JSON.createObjectNode().put("i", "1"))
                .node("d/Relu", "FusedDepthwiseConv2dNative", in("c/Relu6", "dk", "db"), "strides", ints(1, 1, 1, 1),
                        "padding", s("VALID"), "fused_ops", strs("BiasAdd", "Relu"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("c/Relu6", "d/Relu"), x.v());
        T c = NhwcReference.relu6(NhwcReference.conv(x, k, 3, 3, 3, 2, 1, true, false, bias));
        T d = NhwcReference.map(NhwcReference.conv(c, dk, 3, 3, 1, 1, 1, false, true, dbias), v -> Math.max(v, 0));
        assertNchw(c, out.get("c/Relu6"), "fused conv");
        assertNchw(d, out.get("d/Relu"), "fused depthwise");
    }

    @Test
    void fusedConvWithFusedBatchNorm() throws Exception {
        T x = NhwcReference.random(2, 5, 5, 2, 10);
        float[] k = NhwcReference.random(2 * 2 * 2 * 3, 11);
        float[] gamma = NhwcReference.random(3, 12), beta = NhwcReference.random(3, 13), mean = NhwcReference.random(3, 14);
        float[] var = {0.5f, 1.5f, 2f};
        Path m = TinyTfjs.graph().placeholder("x", 2, 5, 5, 2).constant("k", kshape(2, 2, 2, 3), k)
                .constant("g", new long[]{3}, gamma).constant("b", new long[]{3}, beta)
                .constant("m", new long[]{3}, mean).constant("v", new long[]{3}, var)
                .node("y", "_FusedConv2D", in("x", "k", "g", "b", "m", "v"), "strides", ints(1, 1, 1, 1),
                        "padding", s("SAME"), "fused_ops", strs("FusedBatchNorm", "Relu"), "epsilon", f(0.001))
                .write(dir);
        T want = NhwcReference.map(NhwcReference.batchNorm(NhwcReference.conv(x, k, 2, 2, 3, 1, 1, true, false, null),
                gamma, beta, mean, var, 0.001f), v -> Math.max(v, 0));
        assertNchw(want, TinyTfjs.run(m, ConversionOptions.taps("y"), x.v()).get("y"), "conv+bn+relu");
    }

    @Test
    void batchNormBiasAddAndElementwiseWithConstants() throws Exception {
        T x = NhwcReference.random(2, 4, 3, 3, 20);
        float[] gamma = NhwcReference.random(3, 21), beta = NhwcReference.random(3, 22), mean = NhwcReference.random(3, 23);
        float[] var = {1f, 0.25f, 4f};
        float[] bias = NhwcReference.random(3, 24), scale = NhwcReference.random(3, 25);
        Path m = TinyTfjs.graph().placeholder("x", 2, 4, 3, 3)
                .constant("g", new long[]{3}, gamma).constant("b", new long[]{3}, beta)
                .constant("m", new long[]{3}, mean).constant("v", new long[]{3}, var)
                .constant("bias", new long[]{3}, bias).constant("scale", new long[]{3}, scale)
                .constant("two", new long[]{}, new float[]{2f})
                .node("bn", "FusedBatchNormV3", in("x", "g", "b", "m", "v"), "epsilon", f(0.01), "is_training", b(false))
                .node("ba", "BiasAdd", in("bn", "bias"), "data_format", s("NHWC"))
                .node("mul", "Mul", in("scale", "ba"))
                .node("sub", "Sub", in("two", "mul"))
                .node("relu6", "Relu6", in("sub"))
                .node("addn", "AddN", in("relu6", "sub", "x"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("relu6", "addn"), x.v());
        T bn = NhwcReference.batchNorm(x, gamma, beta, mean, var, 0.01f);
        T mul = NhwcReference.perChannel(NhwcReference.perChannel(bn, bias, Double::sum), scale, (a, c) -> a * c);
        T sub = NhwcReference.map(mul, v -> 2 - v);
        T relu6 = NhwcReference.relu6(sub);
        assertNchw(relu6, out.get("relu6"), "relu6");
        assertNchw(NhwcReference.add(NhwcReference.add(relu6, sub), x), out.get("addn"), "addn");
    }

    @Test
    void poolsSameAndValid() throws Exception {
        T x = NhwcReference.random(2, 7, 6, 2, 30);
        Path m = TinyTfjs.graph().placeholder("x", 2, 7, 6, 2)
                .node("avg", "AvgPool", in("x"), "ksize", ints(1, 3, 3, 1), "strides", ints(1, 2, 2, 1),
                        "padding", s("SAME"))
                .node("max", "MaxPool", in("x"), "ksize", ints(1, 3, 3, 1), "strides", ints(1, 2, 2, 1),
                        "padding", s("SAME"))
                .node("maxv", "MaxPool", in("x"), "ksize", ints(1, 2, 2, 1), "strides", ints(1, 2, 2, 1),
                        "padding", s("VALID"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("avg", "max", "maxv"), x.v());
        assertNchw(NhwcReference.pool(x, 3, 2, true, true), out.get("avg"), "avg SAME");
        assertNchw(NhwcReference.pool(x, 3, 2, true, false), out.get("max"), "max SAME");
        assertNchw(NhwcReference.pool(x, 2, 2, false, false), out.get("maxv"), "max VALID");
    }

    @Test
    void concatAxesAreRemapped() throws Exception {
        T a = NhwcReference.random(2, 3, 4, 2, 40);
        float[] k = NhwcReference.random(2 * 3, 41);
        Path m = TinyTfjs.graph().placeholder("x", 2, 3, 4, 2).constant("k", kshape(1, 1, 2, 3), k)
                .constantInts("minus1", new long[]{}, new int[]{-1}).constantInts("one", new long[]{}, new int[]{1})
                .node("c", "Conv2D", in("x", "k"), "strides", ints(1, 1, 1, 1), "padding", s("VALID"))
                .node("catC", "ConcatV2", in("x", "c", "minus1"))
                .node("catH", "ConcatV2", in("x", "x", "one"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("catC", "catH"), a.v());
        T c = NhwcReference.conv(a, k, 1, 1, 3, 1, 1, false, false, null);
        assertNchw(NhwcReference.concat(a, c, 3), out.get("catC"), "concat channels");
        assertNchw(NhwcReference.concat(a, a, 1), out.get("catH"), "concat height");
    }

    @Test
    void meanSqueezeAndAxisOrder() throws Exception {
        T x = NhwcReference.random(2, 4, 5, 3, 50);
        Path m = TinyTfjs.graph().placeholder("x", 2, 4, 5, 3)
                .constantInts("hw", new long[]{2}, new int[]{1, 2}).constantInts("h", new long[]{1}, new int[]{1})
                .node("mean", "Mean", in("x", "hw"), "keep_dims", b(false))
                .node("meanKeep", "Mean", in("x", "hw"), "keep_dims", b(true))
                .node("squeezed", "Squeeze", in("meanKeep"), "squeeze_dims", ints(1, 2))
                .node("meanH", "Mean", in("x", "h"), "keep_dims", b(false))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("mean", "meanKeep", "squeezed", "meanH"),
                x.v());
        float[] hw = NhwcReference.meanHw(x);
        assertClose(hw, out.get("mean"), "mean over H, W");
        assertClose(hw, out.get("meanKeep"), "mean kept as [N, C, 1, 1]");
        assertClose(hw, out.get("squeezed"), "squeeze");
        // [N, W, C] in TF order although ONNX reduces an NCHW tensor to [N, C, W]
        assertClose(NhwcReference.meanH(x), out.get("meanH"), "mean over H");
    }

    @Test
    void reshapeFlattensInNhwcOrderThenMatMul() throws Exception {
        T x = NhwcReference.random(2, 3, 2, 2, 60);
        float[] k = NhwcReference.random(2 * 4, 61);
        float[] w = NhwcReference.random(3 * 2 * 4 * 5, 62);
        float[] bias = NhwcReference.random(5, 63);
        Path m = TinyTfjs.graph().placeholder("x", 2, 3, 2, 2).constant("k", kshape(1, 1, 2, 4), k)
                .constantInts("shape", new long[]{2}, new int[]{-1, 24})
                .constant("w", new long[]{24, 5}, w).constant("bias", new long[]{5}, bias)
                .node("c", "Conv2D", in("x", "k"), "strides", ints(1, 1, 1, 1), "padding", s("SAME"))
                .node("flat", "Reshape", in("c", "shape"))
                .node("mm", "MatMul", in("flat", "w"), "transpose_a", b(false), "transpose_b", b(false))
                .node("fmm", "_FusedMatMul", in("flat", "w", "bias"), "fused_ops", strs("BiasAdd", "Relu"))
                .node("soft", "Softmax", in("fmm"))
                .node("sig", "Sigmoid", in("mm"))
                .write(dir);
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("flat", "mm", "fmm", "soft", "sig"), x.v());
        T c = NhwcReference.conv(x, k, 1, 1, 4, 1, 1, true, false, null);
        assertClose(c.v(), out.get("flat"), "reshape keeps NHWC element order");
        float[] mm = NhwcReference.dense(c.v(), 2, w, 24, 5, null);
        float[] fmm = NhwcReference.dense(c.v(), 2, w, 24, 5, bias);
        for (int i = 0; i < fmm.length; i++) {
            fmm[i] = Math.max(fmm[i], 0);
        }
        assertClose(mm, out.get("mm"), "matmul");
        assertClose(fmm, out.get("fmm"), "fused matmul");
        assertClose(NhwcReference.softmaxRows(fmm, 2), out.get("soft"), "softmax");
        float[] sig = new float[mm.length];
        for (int i = 0; i < mm.length; i++) {
            sig[i] = (float) (1 / (1 + Math.exp(-mm[i])));
        }
        assertClose(sig, out.get("sig"), "sigmoid");
    }

    @Test
    void uint8QuantisedWeightsAreDequantised() throws Exception {
        T x = NhwcReference.random(2, 5, 5, 2, 70);
        int n = 3 * 3 * 2 * 2;
        byte[] q = new byte[n];
        float[] k = new float[n];
        double min = -0.8, scale = 0.0062;
        for (int i = 0; i < n; i++) {
            q[i] = (byte) (i * 37 % 256);
            k[i] = (float) ((q[i] & 0xff) * scale + min);
        }
        TinyTfjs t = TinyTfjs.graph().placeholder("x", 2, 5, 5, 2).weightUint8("k", kshape(3, 3, 2, 2), q, min, scale)
                .node("c", "Conv2D", in("x", "k"), "strides", ints(1, 1, 1, 1), "padding", s("SAME"));
        t.node("k", "Const", in());
        Path m = t.write(dir);
        assertArrayEquals(k, TfjsModel.read(m).weights().get("k").floats());
        assertNchw(NhwcReference.conv(x, k, 3, 3, 2, 1, 1, true, false, null),
                TinyTfjs.run(m, ConversionOptions.taps("c"), x.v()).get("c"), "quantised conv");
    }

    @Test
    void startsAtAChosenNodeAndTakesNchwInput() throws Exception {
        // 'pre' stands for a preprocessing loop the converter must never look at (its op is unsupported)
        T x = NhwcReference.random(2, 4, 4, 2, 80);
        float[] k = NhwcReference.random(3 * 3 * 2 * 2, 81);
        Path m = TinyTfjs.graph().placeholder("raw", -1, -1, -1, 2).constant("k", kshape(3, 3, 2, 2), k)
                .node("pre", "TensorArrayGatherV3", in("raw"))
                .node("c", "Conv2D", in("pre", "k"), "strides", ints(1, 2, 2, 1), "padding", s("SAME"))
                .write(dir);
        float[] nchw = new float[x.v().length];
        for (int i = 0; i < 2; i++) {
            for (int y = 0; y < 4; y++) {
                for (int xx = 0; xx < 4; xx++) {
                    for (int c = 0; c < 2; c++) {
                        nchw[((i * 2 + c) * 4 + y) * 4 + xx] = x.at(i, y, xx, c);
                    }
                }
            }
        }
        ConversionOptions o = ConversionOptions.taps("c").withInput("pre", 2, 4, 4, 2).withNchwInput();
        assertNchw(NhwcReference.conv(x, k, 3, 3, 2, 2, 1, true, false, null),
                TinyTfjs.run(m, o, nchw).get("c"), "conv from a chosen NCHW input");
    }
}
