package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;

import java.util.HashSet;
import java.util.List;
import java.util.Random;

/** Small ONNX graphs built from raw protos for the gradient tests. */
final class TestGraphs {
    private TestGraphs() {
    }

    /** A graph under construction: nodes and constants via {@link GraphEmitter}, one float input. */
    static final class Builder {
        final GraphEmitter e;
        final Random rnd;
        final String input;
        final long[] inputShape;

        Builder(int opset, String input, long[] inputShape, long seed) {
            this.e = new GraphEmitter(opset, "", new HashSet<>(List.of(input)));
            this.rnd = new Random(seed);
            this.input = input;
            this.inputShape = inputShape;
        }

        /** @return a constant of N(0, scale^2) values. */
        String gaussian(float scale, long... dims) {
            int n = 1;
            for (long d : dims) {
                n *= (int) d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (rnd.nextGaussian() * scale);
            }
            return e.floats(v, dims);
        }

        byte[] model(String output) {
            OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("test")
                    .addInput(info(input, inputShape)).addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output))
                    .addAllNode(e.nodes()).addAllInitializer(e.initializers());
            return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("tribuo-usae-test")
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(e.opset()))
                    .setGraph(g).build().toByteArray();
        }
    }

    static OnnxMl.ValueInfoProto info(String name, long[] shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }

    /**
     * A one-block ViT, opset 13, image {@code [1, 3, 8, 8]}:
     * <pre>
     *   Conv 4x4 stride 4 (patch embedding)    [1, C, 2, 2] -> Reshape [1, C, 4] -> Transpose [1, 4, C]
     *   Concat(cls [1, 1, C], patches) + pos   [1, 5, C]
     *   LayerNorm decomposed (ReduceMean, Sub, Pow 2, Add eps, Sqrt, Div, Mul gamma, Add beta)
     *   2-head self-attention: MatMul q/k/v, Reshape [1, 5, 2, C/2], Transpose [1, 2, 5, C/2],
     *     Softmax(q k^T * scale, axis -1), MatMul v, Transpose back, Reshape, MatMul out, residual Add
     *   MLP with GELU as x * 0.5 * (1 + Erf(x / sqrt 2)), residual Add
     *   Slice off the CLS token                [1, 4, C]   (output "tokens")
     * </pre>
     */
    static byte[] tinyVit(int c, long seed) {
        Builder b = new Builder(13, "image", new long[]{1, 3, 8, 8}, seed);
        GraphEmitter e = b.e;
        String conv = e.op("Conv", List.of("image", b.gaussian(0.3f, c, 3, 4, 4), b.gaussian(0.1f, c)),
                GraphEmitter.ints("kernel_shape", 4, 4), GraphEmitter.ints("strides", 4, 4));
        String patches = e.op("Transpose", e.reshape(conv, new long[]{1, c, 4}), GraphEmitter.ints("perm", 0, 2, 1));
        String tokens = e.op("Add", e.op("Concat", List.of(b.gaussian(1f, 1, 1, c), patches),
                GraphEmitter.intAttr("axis", 1)), b.gaussian(0.5f, 1, 5, c));
        String ln = layerNorm(b, tokens, c);
        int h = 2;
        int dh = c / h;
        String q = heads(b, e.op("MatMul", ln, b.gaussian(0.4f, c, c)), h, dh);
        String k = heads(b, e.op("MatMul", ln, b.gaussian(0.4f, c, c)), h, dh);
        String v = heads(b, e.op("MatMul", ln, b.gaussian(0.4f, c, c)), h, dh);
        String scores = e.op("Mul", e.op("MatMul", q, e.op("Transpose", k, GraphEmitter.ints("perm", 0, 1, 3, 2))),
                e.scalar((float) (1 / Math.sqrt(dh))));
        String attn = e.op("MatMul", e.op("Softmax", scores, GraphEmitter.intAttr("axis", -1)), v);
        String merged = e.reshape(e.op("Transpose", attn, GraphEmitter.ints("perm", 0, 2, 1, 3)), new long[]{1, 5, c});
        String x1 = e.op("Add", tokens, e.op("MatMul", merged, b.gaussian(0.4f, c, c)));
        String hidden = e.op("Add", e.op("MatMul", layerNorm(b, x1, c), b.gaussian(0.4f, c, 2L * c)), b.gaussian(0.1f, 2L * c));
        String erf = e.op("Erf", e.op("Div", hidden, e.scalar((float) Math.sqrt(2))));
        String gelu = e.op("Mul", e.op("Mul", hidden, e.scalar(0.5f)), e.op("Add", erf, e.scalar(1f)));
        String x2 = e.op("Add", x1, e.op("MatMul", gelu, b.gaussian(0.4f, 2L * c, c)));
        e.nodes().add(OnnxMl.NodeProto.newBuilder().setOpType("Slice").setName("drop_cls")
                .addAllInput(List.of(x2, e.longs(1), e.longs(Long.MAX_VALUE), e.longs(1))).addOutput("tokens").build());
        return b.model("tokens");
    }

    private static String layerNorm(Builder b, String x, int c) {
        GraphEmitter e = b.e;
        String mean = e.op("ReduceMean", x, GraphEmitter.ints("axes", -1));
        String centred = e.op("Sub", x, mean);
        String var = e.op("ReduceMean", e.op("Pow", centred, e.scalar(2f)), GraphEmitter.ints("axes", -1));
        String normed = e.op("Div", centred, e.op("Sqrt", e.op("Add", var, e.scalar(1e-5f))));
        return e.op("Add", e.op("Mul", normed, b.gaussian(0.5f, c)), b.gaussian(0.1f, c));
    }

    private static String heads(Builder b, String x, int h, int dh) {
        return b.e.op("Transpose", b.e.reshape(x, new long[]{1, 5, h, dh}), GraphEmitter.ints("perm", 0, 2, 1, 3));
    }
}
