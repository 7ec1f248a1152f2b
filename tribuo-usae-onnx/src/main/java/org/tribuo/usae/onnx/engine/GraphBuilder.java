package org.tribuo.usae.onnx.engine;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small single-assignment builder of one ONNX graph (the main graph or a Loop/If body), written
 * directly on Tribuo's {@code OnnxMl} protobuf classes. Tribuo's {@code ONNXContext} cannot express
 * what the training graph needs: graph-valued attributes (Loop and If bodies), references to values of
 * an enclosing scope, and inputs/outputs that are not {@code float [batch, n]}.
 *
 * <p>Every value name comes from a {@link Names} shared by all builders of one model, so names are
 * unique across scopes. Methods return the name of the value they create.
 */
final class GraphBuilder {
    /** Unique value names across every graph of one model. */
    static final class Names {
        private int next;

        String fresh(String hint) {
            return hint + "_" + (next++);
        }
    }

    private final Names names;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();

    GraphBuilder(Names names) {
        this.names = names;
    }

    Names names() {
        return names;
    }

    /**
     * Declares a graph input.
     * @param name its name (used as is).
     * @param type element type.
     * @param dims dimensions ({} is a scalar); -1 is a symbolic dimension.
     * @return the name.
     */
    String input(String name, DataType type, long... dims) {
        inputs.add(valueInfo(name, type, dims));
        return name;
    }

    /** Declares an existing value as a graph output (element type only, shape left to inference). */
    void output(String name, DataType type) {
        outputs.add(valueInfo(name, type, (long[]) null));
    }

    /** Adds a node with one output. */
    String op(String opType, String hint, List<String> in, AttributeProto... attrs) {
        return ops(opType, hint, 1, in, attrs).get(0);
    }

    /** Adds a node with several outputs. */
    List<String> ops(String opType, String hint, int numOutputs, List<String> in, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(names.fresh("n_" + hint)).addAllInput(in);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < numOutputs; i++) {
            String o = names.fresh(hint);
            out.add(o);
            n.addOutput(o);
        }
        n.addAllAttribute(Arrays.asList(attrs));
        nodes.add(n.build());
        return out;
    }

    /** Adds a node whose outputs get the given names (If and Loop results). */
    void opNamed(String opType, List<String> in, List<String> out, AttributeProto... attrs) {
        nodes.add(NodeProto.newBuilder().setOpType(opType).setName(names.fresh("n_" + opType)).addAllInput(in)
                .addAllOutput(out).addAllAttribute(Arrays.asList(attrs)).build());
    }

    // ---- element-wise and shape helpers (one ONNX op each)

    String add(String a, String b) { return op("Add", "add", List.of(a, b)); }
    String sub(String a, String b) { return op("Sub", "sub", List.of(a, b)); }
    String mul(String a, String b) { return op("Mul", "mul", List.of(a, b)); }
    String div(String a, String b) { return op("Div", "div", List.of(a, b)); }
    String sqrt(String a) { return op("Sqrt", "sqrt", List.of(a)); }
    String abs(String a) { return op("Abs", "abs", List.of(a)); }
    String sign(String a) { return op("Sign", "sign", List.of(a)); }
    String neg(String a) { return op("Neg", "neg", List.of(a)); }
    String relu(String a) { return op("Relu", "relu", List.of(a)); }
    String identity(String a) { return op("Identity", "id", List.of(a)); }

    /** {@code a . b}, with optional transposes. */
    String gemm(String a, String b, boolean transA, boolean transB) {
        return op("Gemm", "gemm", List.of(a, b), intAttr("transA", transA ? 1 : 0), intAttr("transB", transB ? 1 : 0));
    }

    /** Gemm with a bias row: {@code a . b^T + c}. */
    String gemmBiasTransB(String a, String b, String c) {
        return op("Gemm", "gemm", List.of(a, b, c), intAttr("transB", 1));
    }

    /** Float 1.0 where {@code a > b}, else 0. */
    String greaterAsFloat(String a, String b) {
        String g = op("Greater", "gt", List.of(a, b));
        return op("Cast", "cast", List.of(g), intAttr("to", DataType.FLOAT_VALUE));
    }

    /** Mean over the given axes (all when none), opset-13 attribute form. */
    String reduceMean(String a, boolean keepDims, long... axes) {
        return axes.length == 0
                ? op("ReduceMean", "mean", List.of(a), intAttr("keepdims", keepDims ? 1 : 0))
                : op("ReduceMean", "mean", List.of(a), intsAttr("axes", axes), intAttr("keepdims", keepDims ? 1 : 0));
    }

    /** Max over the given axes (opset-13 attribute form). */
    String reduceMax(String a, boolean keepDims, long... axes) {
        return op("ReduceMax", "max", List.of(a), intsAttr("axes", axes), intAttr("keepdims", keepDims ? 1 : 0));
    }

    /** Sum over the given axes (all when none); opset 13 takes the axes as an input. */
    String reduceSum(String a, boolean keepDims, long... axes) {
        AttributeProto keep = intAttr("keepdims", keepDims ? 1 : 0);
        return axes.length == 0 ? op("ReduceSum", "sum", List.of(a), keep)
                : op("ReduceSum", "sum", List.of(a, longs(axes)), keep);
    }

    /** Element {@code index} of a 1-D or first axis of an N-D tensor (the axis is dropped). */
    String gatherScalarIndex(String data, String scalarIndex) {
        return op("Gather", "gather", List.of(data, scalarIndex), intAttr("axis", 0));
    }

    // ---- constants (Constant nodes, so they live in the scope that uses them)

    String scalar(float v) {
        return constant(TensorProto.newBuilder().setDataType(DataType.FLOAT_VALUE).addFloatData(v).build(), "c");
    }

    String scalarLong(long v) {
        return constant(TensorProto.newBuilder().setDataType(DataType.INT64_VALUE).addInt64Data(v).build(), "ci");
    }

    String longs(long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(DataType.INT64_VALUE).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return constant(t.build(), "cl");
    }

    /** A float constant of the given values, shape {@code [values.length]}. */
    String floats(float... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(DataType.FLOAT_VALUE).addDims(values.length);
        for (float x : values) {
            t.addFloatData(x);
        }
        return constant(t.build(), "cf");
    }

    /** A float tensor of the given shape filled with {@code value} (ConstantOfShape). */
    String filled(float value, long... dims) {
        TensorProto one = TensorProto.newBuilder().setDataType(DataType.FLOAT_VALUE).addDims(1).addFloatData(value).build();
        return op("ConstantOfShape", "fill", List.of(longs(dims)),
                AttributeProto.newBuilder().setName("value").setType(AttributeType.TENSOR).setT(one).build());
    }

    private String constant(TensorProto t, String hint) {
        return op("Constant", hint, List.of(),
                AttributeProto.newBuilder().setName("value").setType(AttributeType.TENSOR).setT(t).build());
    }

    GraphProto build(String name) {
        return GraphProto.newBuilder().setName(name).addAllNode(nodes).addAllInput(inputs).addAllOutput(outputs).build();
    }

    // ---- attributes

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static AttributeProto graphAttr(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.GRAPH).setG(g).build();
    }

    static ValueInfoProto valueInfo(String name, DataType type, long... dims) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (dims != null) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long d : dims) {
                shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("steps")
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            t.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
