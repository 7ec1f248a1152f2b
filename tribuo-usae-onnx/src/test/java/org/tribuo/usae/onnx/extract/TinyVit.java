package org.tribuo.usae.onnx.extract;

import ai.onnx.proto.OnnxMl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A ViT-shaped ONNX graph built from raw protos, for tests:
 * <pre>
 *   patches [B, T, P] --MatMul W[P,C]--> embed [B, T, C]
 *   cls = ReduceMean(embed, axis 1, keepdims)              [B, 1, C]
 *   tokens = Concat(cls, embed, axis 1)                     [B, 1+T, C]
 *   blocks.0.out = tokens + bias                             (the intermediate to tap)
 *   pooled = ReduceMean(blocks.0.out, axis 1, no keepdims)  [B, C]  (the declared output)
 * </pre>
 * So {@code blocks.0.out[b, 1+t, c] = sum_p patches[b,t,p] W[p,c] + bias[c]} and token 0 is the
 * mean of the patch embeddings plus bias: the "CLS" token.
 */
public final class TinyVit {
    final int p;
    final int c;
    final float[] w;
    final float[] bias;

    /** @param p patch size. @param c width. @param seed weight seed. */
    public TinyVit(int p, int c, long seed) {
        this.p = p;
        this.c = c;
        Random r = new Random(seed);
        w = new float[p * c];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        bias = new float[c];
        for (int i = 0; i < c; i++) {
            bias[i] = (float) r.nextGaussian();
        }
    }

    /** Expected intermediate for one input {@code [T x P]}: {@code [(1+T) x C]}. */
    public float[] expected(float[] patches, int t) {
        float[] out = new float[(1 + t) * c];
        double[] mean = new double[c];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int k = 0; k < p; k++) {
                    s += patches[i * p + k] * w[k * c + j];
                }
                out[(1 + i) * c + j] = (float) (s + bias[j]);
                mean[j] += s / t;
            }
        }
        for (int j = 0; j < c; j++) {
            out[j] = (float) (mean[j] + bias[j]);
        }
        return out;
    }

    /** @return the serialized ONNX model. */
    public byte[] model() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny_vit");
        g.addInput(valueInfo("patches", "B", "T", String.valueOf(p)));
        g.addOutput(valueInfo("pooled", "B", String.valueOf(c)));
        g.addInitializer(tensor("W", w, p, c));
        g.addInitializer(tensor("bias", bias, c));
        g.addNode(node("MatMul", "mm", new String[]{"patches", "W"}, "embed"));
        g.addNode(node("ReduceMean", "cls", new String[]{"embed"}, "cls_tok").toBuilder()
                .addAttribute(intsAttr("axes", 1)).addAttribute(intAttr("keepdims", 1)).build());
        g.addNode(node("Concat", "cat", new String[]{"cls_tok", "embed"}, "tokens").toBuilder()
                .addAttribute(intAttr("axis", 1)).build());
        g.addNode(node("Add", "blk", new String[]{"tokens", "bias"}, "blocks.0.out"));
        g.addNode(node("ReduceMean", "pool", new String[]{"blocks.0.out"}, "pooled").toBuilder()
                .addAttribute(intsAttr("axes", 1)).addAttribute(intAttr("keepdims", 0)).build());
        return model(g);
    }

    static byte[] model(OnnxMl.GraphProto.Builder g) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("tribuo-usae-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    static OnnxMl.NodeProto node(String op, String name, String[] in, String out) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String s : in) {
            b.addInput(s);
        }
        return b.build();
    }

    static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    static OnnxMl.AttributeProto intsAttr(String name, long... v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static OnnxMl.TensorProto tensor(String name, float[] v, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        OnnxMl.TensorProto.Builder b = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(com.google.protobuf.ByteString.copyFrom(bb.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    static OnnxMl.ValueInfoProto valueInfo(String name, String... dims) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (String d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder db = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d.chars().allMatch(Character::isDigit)) {
                db.setDimValue(Long.parseLong(d));
            } else {
                db.setDimParam(d);
            }
            s.addDim(db);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}
