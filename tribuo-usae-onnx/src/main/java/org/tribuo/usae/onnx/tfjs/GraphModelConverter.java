package org.tribuo.usae.onnx.tfjs;

import org.tribuo.usae.onnx.tfjs.NchwGraph.Pads;
import org.tribuo.usae.onnx.tfjs.NchwGraph.Value;
import org.tribuo.usae.onnx.tfjs.TfjsModel.GraphNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts the subgraph of a tfjs graph model (TF GraphDef as JSON) between an input node and the taps.
 *
 * <p>Supported ops: Placeholder (as the input), Const, Identity, Conv2D, _FusedConv2D and
 * (Fused)DepthwiseConv2dNative with fused {@code BiasAdd} or {@code FusedBatchNorm} then optional
 * {@code Relu}/{@code Relu6}, BiasAdd, FusedBatchNorm(V2/V3), Relu, Relu6, Sigmoid, Softmax, Add, AddV2, AddN, Sub,
 * Mul, ConcatV2, AvgPool, MaxPool, Mean, Squeeze, Reshape, MatMul and _FusedMatMul with a constant right operand.
 * Anything else between the input and the taps is a {@link TfjsFormatException} naming op and node.
 */
final class GraphModelConverter {
    /** TF DataType enum values used here. */
    private static final int DT_FLOAT = 1;
    private static final int DT_INT32 = 3;

    private final TfjsModel model;
    private final Map<String, GraphNode> nodes;
    private final String file;
    /** Node name -> its converted output: a runtime {@link Value} or a constant {@link TfjsTensor}. */
    private final Map<String, Object> converted = new HashMap<>();
    private NchwGraph graph;

    private GraphModelConverter(TfjsModel model) {
        this.model = model;
        this.nodes = model.graphNodes();
        this.file = model.fileName();
    }

    static TfjsToOnnx.Converted convert(TfjsModel model, ConversionOptions options) {
        return new GraphModelConverter(model).run(options);
    }

    private TfjsToOnnx.Converted run(ConversionOptions options) {
        Map<String, String> tapNodes = new LinkedHashMap<>();
        for (String tap : options.taps()) {
            tapNodes.put(tap, resolveTap(tap));
        }
        GraphNode input = inputNode(options);
        long[] shape = inputShape(input, options);
        List<String> reserved = new ArrayList<>(options.taps());
        reserved.add(input.name());
        graph = new NchwGraph(reserved);
        converted.put(input.name(), graph.input(input.name(), shape, options.nchwInput()));
        List<String> needed = Subgraph.order(file, new ArrayList<>(tapNodes.values()), input.name(),
                name -> nodes.containsKey(name) ? dataInputs(nodes.get(name)) : null);
        for (String name : needed) {
            converted.put(name, convertNode(nodes.get(name)));
        }
        Map<String, Value> taps = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tapNodes.entrySet()) {
            Object v = converted.get(t.getValue());
            if (!(v instanceof Value value)) {
                throw new TfjsFormatException(file + ": tap '" + t.getKey() + "' is the constant " + t.getValue()
                        + ", not a computed tensor");
            }
            taps.put(t.getKey(), value);
        }
        long[] declared = shape.length == 4 && options.nchwInput()
                ? new long[]{shape[0], shape[3], shape[1], shape[2]} : shape;
        return new TfjsToOnnx.Converted(graph, input.name(), declared, taps, tapNodes);
    }

    // ---------------------------------------------------------------- input, taps, order

    /** Exact node name, else the one node whose name ends with "/" + tap. */
    private String resolveTap(String tap) {
        if (nodes.containsKey(tap)) {
            return tap;
        }
        List<String> matches = nodes.keySet().stream().filter(n -> n.endsWith("/" + tap)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new TfjsFormatException(file + ": no node named '" + tap + "' (nor ending in '/" + tap + "')");
        }
        throw new TfjsFormatException(file + ": tap '" + tap + "' matches " + matches.size() + " nodes ("
                + String.join(", ", matches.subList(0, Math.min(3, matches.size()))) + "...): give the full name");
    }

    private GraphNode inputNode(ConversionOptions options) {
        if (options.inputNode() != null) {
            String name = options.inputNode();
            GraphNode n = nodes.get(name);
            if (n == null) {
                throw new TfjsFormatException(file + ": no node named '" + name + "' to use as the input");
            }
            return n;
        }
        List<GraphNode> placeholders = nodes.values().stream().filter(n -> n.op().equals("Placeholder")).toList();
        if (placeholders.size() != 1) {
            throw new TfjsFormatException(file + ": " + placeholders.size() + " Placeholder nodes; name the input "
                    + "node in the conversion options");
        }
        return placeholders.get(0);
    }

    private long[] inputShape(GraphNode input, ConversionOptions options) {
        if (options.inputShape() != null) {
            return options.inputShape();
        }
        JsonAt shapeAttr = input.op().equals("Placeholder") ? input.attr("shape") : null;
        if (shapeAttr == null) {
            throw new TfjsFormatException(file + ": " + input.where() + " declares no shape; give the input shape "
                    + "in the conversion options");
        }
        long[] shape = tensorShape(shapeAttr.field("shape"));
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new TfjsFormatException(file + ": " + input.where() + " has shape " + Arrays.toString(shape)
                        + " with unknown sizes; give the input shape in the conversion options");
            }
        }
        return shape;
    }

    /** TensorShapeProto JSON ({@code dim[].size}; a missing size is 0 in proto3 JSON) -> dims, -1 = unknown. */
    private static long[] tensorShape(JsonAt shape) {
        if (shape.has("unknownRank") && shape.field("unknownRank").bool()) {
            throw shape.error("unknown rank");
        }
        JsonAt dims = shape.optional("dim");
        if (dims == null) {
            return new long[0];
        }
        List<JsonAt> list = dims.elements();
        if (list.size() > 8) {
            throw dims.error("rank " + list.size() + " is more than 8");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            JsonAt size = list.get(i).optional("size");
            out[i] = size == null ? 0 : size.integer(-1, Integer.MAX_VALUE);
        }
        return out;
    }

    /** "name" or "name:0" -> name; other outputs of multi-output ops are not supported. */
    private String sourceNode(GraphNode n, String input) {
        int colon = input.lastIndexOf(':');
        if (colon > 0 && input.substring(colon + 1).chars().allMatch(Character::isDigit) && colon < input.length() - 1) {
            if (!input.substring(colon + 1).equals("0")) {
                throw new TfjsFormatException(file + ": " + n.where() + " reads output " + input.substring(colon + 1)
                        + " of '" + input.substring(0, colon) + "'; only output 0 is supported");
            }
            return input.substring(0, colon);
        }
        return input;
    }

    private List<String> dataInputs(GraphNode n) {
        List<String> out = new ArrayList<>();
        for (String in : n.inputs()) {
            if (!in.startsWith("^")) {
                out.add(sourceNode(n, in));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- per-op conversion

    private Object convertNode(GraphNode n) {
        String w = file + ": " + n.where();
        List<String> in = dataInputs(n);
        switch (n.op()) {
            case "Const":
                return constTensor(n, w);
            case "Identity":
            case "StopGradient":
                requireInputs(n, in, 1, w);
                return converted.get(in.get(0));
            case "Placeholder":
                throw new TfjsFormatException(w + ": the taps depend on this Placeholder, which is not the input");
            case "Conv2D":
            case "DepthwiseConv2dNative":
                requireInputs(n, in, 2, w);
                return conv(n, in, w, n.op().startsWith("Depthwise"), List.of());
            case "_FusedConv2D":
            case "FusedDepthwiseConv2dNative":
                return conv(n, in, w, n.op().startsWith("FusedDepthwise"), strings(n, "fused_ops", w));
            case "BiasAdd":
                requireInputs(n, in, 2, w);
                requireNhwc(n, w);
                return graph.binaryConst("Add", value(in.get(0), w), floatConst(in.get(1), w), false, w);
            case "FusedBatchNorm":
            case "FusedBatchNormV2":
            case "FusedBatchNormV3": {
                requireInputs(n, in, 5, w);
                requireNhwc(n, w);
                if (n.attr("is_training") != null && n.attr("is_training").field("b").bool()) {
                    throw new TfjsFormatException(w + ": is_training=true is not supported");
                }
                return graph.batchNorm(value(in.get(0), w), floats(in.get(1), w), floats(in.get(2), w),
                        floats(in.get(3), w), floats(in.get(4), w), epsilon(n, w), w);
            }
            case "Relu":
                requireInputs(n, in, 1, w);
                return graph.unary("Relu", value(in.get(0), w));
            case "Relu6":
                requireInputs(n, in, 1, w);
                return graph.clip(value(in.get(0), w), 0f, 6f);
            case "Sigmoid":
                requireInputs(n, in, 1, w);
                return graph.unary("Sigmoid", value(in.get(0), w));
            case "Softmax":
                requireInputs(n, in, 1, w);
                return graph.softmax(value(in.get(0), w));
            case "Add":
            case "AddV2":
                requireInputs(n, in, 2, w);
                return binary("Add", in.get(0), in.get(1), w);
            case "Sub":
                requireInputs(n, in, 2, w);
                return binary("Sub", in.get(0), in.get(1), w);
            case "Mul":
                requireInputs(n, in, 2, w);
                return binary("Mul", in.get(0), in.get(1), w);
            case "AddN": {
                if (in.isEmpty()) {
                    throw new TfjsFormatException(w + ": has no inputs");
                }
                Object sum = converted.get(in.get(0));
                for (int i = 1; i < in.size(); i++) {
                    sum = binary("Add", sum, converted.get(in.get(i)), in.get(0), in.get(i), w);
                }
                return sum;
            }
            case "ConcatV2": {
                if (in.size() < 2) {
                    throw new TfjsFormatException(w + ": needs at least one tensor and an axis");
                }
                List<Value> parts = new ArrayList<>();
                for (String s : in.subList(0, in.size() - 1)) {
                    parts.add(value(s, w));
                }
                int axis = NchwGraph.normalizeAxis(scalarInt(in.get(in.size() - 1), w), parts.get(0).rank(), w);
                return graph.concat(parts, axis, w);
            }
            case "AvgPool":
            case "MaxPool": {
                requireInputs(n, in, 1, w);
                requireNhwc(n, w);
                Value x = value(in.get(0), w);
                long[] k = hw(n, "ksize", w, true);
                long[] s = hw(n, "strides", w, true);
                Pads p = NchwGraph.pads(x, string(n, "padding", w), k, s, new long[]{1, 1}, w);
                return graph.pool(x, n.op().equals("AvgPool"), k, s, p, w);
            }
            case "Mean": {
                requireInputs(n, in, 2, w);
                Value x = value(in.get(0), w);
                int[] axes = axes(intsOf(in.get(1), w), x.rank(), w);
                JsonAt keep = n.attr("keep_dims");
                return graph.reduceMean(x, axes, keep != null && keep.field("b").bool());
            }
            case "Squeeze": {
                requireInputs(n, in, 1, w);
                Value x = value(in.get(0), w);
                long[] dims = n.attr("squeeze_dims") == null ? new long[0] : ints(n, "squeeze_dims", w);
                int[] axes = dims.length == 0 ? unitAxes(x, w) : axes(dims, x.rank(), w);
                return graph.squeeze(x, axes, w);
            }
            case "Reshape":
                requireInputs(n, in, 2, w);
                return graph.reshape(value(in.get(0), w), intsOf(in.get(1), w), w);
            case "MatMul":
            case "_FusedMatMul":
                return matMul(n, in, w);
            default:
                throw new TfjsFormatException(w + ": unsupported op " + n.op());
        }
    }

    private Object conv(GraphNode n, List<String> in, String w, boolean depthwise, List<String> fused) {
        requireNhwc(n, w);
        if (in.size() < 2) {
            throw new TfjsFormatException(w + ": needs an input and a filter");
        }
        Value x = value(in.get(0), w);
        TfjsTensor kernel = floatConst(in.get(1), w);
        long[] strides = hw(n, "strides", w, true);
        long[] dilations = n.attr("dilations") == null ? new long[]{1, 1} : hw(n, "dilations", w, true);
        long[] ks = kernel.shape();
        if (ks.length != 4) {
            throw new TfjsFormatException(w + ": filter " + kernel.name() + " is not 4-D: " + Arrays.toString(ks));
        }
        String padding = string(n, "padding", w);
        Pads pads;
        if (padding.equals("EXPLICIT")) {
            long[] e = ints(n, "explicit_paddings", w);
            if (e.length != 8 || e[0] != 0 || e[1] != 0 || e[6] != 0 || e[7] != 0) {
                throw new TfjsFormatException(w + ": explicit_paddings " + Arrays.toString(e)
                        + " must pad only H and W");
            }
            pads = new Pads(e[2], e[3], e[4], e[5]);
        } else {
            pads = NchwGraph.pads(x, padding, new long[]{ks[0], ks[1]}, strides, dilations, w);
        }
        // fused_ops: [] | [BiasAdd (, Relu|Relu6)] | [FusedBatchNorm (, Relu|Relu6)]
        float[] bias = null;
        int consumed = 2;
        String activation = null;
        Value y;
        if (fused.isEmpty()) {
            if (in.size() != 2) {
                throw new TfjsFormatException(w + ": has " + in.size() + " inputs, expected 2");
            }
            return graph.conv(x, kernel, null, strides, dilations, pads, depthwise, w);
        }
        String first = fused.get(0);
        if (fused.size() > 2) {
            throw new TfjsFormatException(w + ": unsupported fused_ops " + fused);
        }
        if (fused.size() == 2) {
            activation = fused.get(1);
            if (!activation.equals("Relu") && !activation.equals("Relu6")) {
                throw new TfjsFormatException(w + ": unsupported fused activation " + activation + " in " + fused);
            }
        }
        if (first.equals("BiasAdd")) {
            requireInputs(n, in, 3, w);
            bias = floats(in.get(2), w);
            y = graph.conv(x, kernel, bias, strides, dilations, pads, depthwise, w);
        } else if (first.equals("FusedBatchNorm") && !depthwise) {
            requireInputs(n, in, 6, w);
            y = graph.conv(x, kernel, null, strides, dilations, pads, false, w);
            y = graph.batchNorm(y, floats(in.get(2), w), floats(in.get(3), w), floats(in.get(4), w),
                    floats(in.get(5), w), epsilon(n, w), w);
        } else {
            throw new TfjsFormatException(w + ": unsupported fused_ops " + fused);
        }
        return activate(y, activation);
    }

    private Value activate(Value y, String activation) {
        if (activation == null) {
            return y;
        }
        return activation.equals("Relu6") ? graph.clip(y, 0f, 6f) : graph.unary("Relu", y);
    }

    private Object matMul(GraphNode n, List<String> in, String w) {
        boolean transposeA = n.attr("transpose_a") != null && n.attr("transpose_a").field("b").bool();
        boolean transposeB = n.attr("transpose_b") != null && n.attr("transpose_b").field("b").bool();
        if (transposeA) {
            throw new TfjsFormatException(w + ": transpose_a=true is not supported");
        }
        List<String> fused = n.op().equals("_FusedMatMul") ? strings(n, "fused_ops", w) : List.of();
        float[] bias = null;
        String activation = null;
        if (fused.isEmpty()) {
            requireInputs(n, in, 2, w);
        } else {
            if (!fused.get(0).equals("BiasAdd") || fused.size() > 2
                    || (fused.size() == 2 && !fused.get(1).equals("Relu") && !fused.get(1).equals("Relu6"))) {
                throw new TfjsFormatException(w + ": unsupported fused_ops " + fused);
            }
            requireInputs(n, in, 3, w);
            bias = floats(in.get(2), w);
            activation = fused.size() == 2 ? fused.get(1) : null;
        }
        Value x = graph.toTf(value(in.get(0), w));
        return activate(graph.gemm(x, floatConst(in.get(1), w), transposeB, bias, w), activation);
    }

    private Object binary(String op, String a, String b, String w) {
        return binary(op, converted.get(a), converted.get(b), a, b, w);
    }

    private Object binary(String op, Object a, Object b, String aName, String bName, String w) {
        if (a instanceof Value va && b instanceof Value vb) {
            return graph.binary(op, va, vb, w);
        }
        if (a instanceof Value va && b instanceof TfjsTensor tb) {
            return graph.binaryConst(op, va, tb, false, w);
        }
        if (a instanceof TfjsTensor ta && b instanceof Value vb) {
            return graph.binaryConst(op, vb, ta, true, w);
        }
        throw new TfjsFormatException(w + ": both operands ('" + aName + "', '" + bName + "') are constants; "
                + "constant folding is not supported");
    }

    // ---------------------------------------------------------------- inputs of a node

    private Value value(String name, String w) {
        Object v = converted.get(name);
        if (v instanceof Value value) {
            return value;
        }
        throw new TfjsFormatException(w + ": input '" + name + "' is a constant where a computed tensor is expected");
    }

    private TfjsTensor constant(String name, String w) {
        Object v = converted.get(name);
        if (v instanceof TfjsTensor t) {
            return t;
        }
        throw new TfjsFormatException(w + ": input '" + name + "' must be a constant (weights, shapes and axes are)");
    }

    private TfjsTensor floatConst(String name, String w) {
        TfjsTensor t = constant(name, w);
        if (t.dtype() != TfjsTensor.DType.FLOAT32) {
            throw new TfjsFormatException(w + ": constant '" + name + "' is int32, expected float32");
        }
        return t;
    }

    private float[] floats(String name, String w) {
        return floatConst(name, w).floats();
    }

    private long[] intsOf(String name, String w) {
        TfjsTensor t = constant(name, w);
        if (t.dtype() != TfjsTensor.DType.INT32 || t.rank() > 1) {
            throw new TfjsFormatException(w + ": constant '" + name + "' must be an int32 scalar or vector, is " + t);
        }
        return Arrays.stream(t.ints()).asLongStream().toArray();
    }

    private long scalarInt(String name, String w) {
        long[] v = intsOf(name, w);
        if (v.length != 1) {
            throw new TfjsFormatException(w + ": constant '" + name + "' must hold one axis, holds " + v.length);
        }
        return v[0];
    }

    private static int[] axes(long[] axes, int rank, String w) {
        int[] out = new int[axes.length];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < axes.length; i++) {
            out[i] = NchwGraph.normalizeAxis(axes[i], rank, w);
            if (!seen.add(out[i])) {
                throw new TfjsFormatException(w + ": axis " + out[i] + " repeats");
            }
        }
        return out;
    }

    private static int[] unitAxes(Value x, String w) {
        int[] out = java.util.stream.IntStream.range(0, x.rank()).filter(i -> x.shape()[i] == 1).toArray();
        for (int i = 0; i < x.rank(); i++) {
            if (x.shape()[i] < 0) {
                throw new TfjsFormatException(w + ": squeeze of all unit axes needs a static shape, got "
                        + Arrays.toString(x.shape()));
            }
        }
        return out;
    }

    private void requireInputs(GraphNode n, List<String> in, int count, String w) {
        if (in.size() != count) {
            throw new TfjsFormatException(w + ": has " + in.size() + " inputs, expected " + count);
        }
    }

    private void requireNhwc(GraphNode n, String w) {
        if (n.attr("data_format") != null) {
            String f = string(n, "data_format", w);
            if (!f.equals("NHWC")) {
                throw new TfjsFormatException(w + ": data_format " + f + " is not supported (NHWC is)");
            }
        }
        JsonAt t = n.attr("T");
        if (t != null && typeOf(t, w) != DT_FLOAT) {
            throw new TfjsFormatException(w + ": element type " + t.field("type").node() + " is not supported (float32 is)");
        }
    }

    private double epsilon(GraphNode n, String w) {
        JsonAt e = n.attr("epsilon");
        double eps = e == null ? 1e-3 : e.optional("f") == null ? 0 : e.field("f").number();
        if (eps < 0) {
            throw new TfjsFormatException(w + ": negative epsilon " + eps);
        }
        return eps;
    }

    // ---------------------------------------------------------------- attributes (protobuf JSON)

    /** A string attribute: base64 (protobuf JSON bytes) or, in old converters, an array of byte values. */
    private String string(GraphNode n, String key, String w) {
        JsonAt a = n.attr(key);
        if (a == null) {
            throw new TfjsFormatException(w + ": attribute '" + key + "' is missing");
        }
        return bytesToString(a.field("s"));
    }

    private static String bytesToString(JsonAt s) {
        if (s.node().isArray()) {
            long[] b = s.integers();
            byte[] bytes = new byte[b.length];
            for (int i = 0; i < b.length; i++) {
                if (b[i] < 0 || b[i] > 255) {
                    throw s.error("byte value " + b[i] + " out of range");
                }
                bytes[i] = (byte) b[i];
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return new String(Base64.getDecoder().decode(s.text()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw s.error("not base64 (" + e.getMessage() + ")");
        }
    }

    private List<String> strings(GraphNode n, String key, String w) {
        JsonAt a = n.attr(key);
        if (a == null) {
            return List.of();
        }
        JsonAt s = a.field("list").optional("s");
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (JsonAt e : s.elements()) {
                out.add(bytesToString(e));
            }
        }
        return out;
    }

    private long[] ints(GraphNode n, String key, String w) {
        JsonAt a = n.attr(key);
        if (a == null) {
            throw new TfjsFormatException(w + ": attribute '" + key + "' is missing");
        }
        JsonAt i = a.field("list").optional("i");
        return i == null ? new long[0] : i.integers();
    }

    /** The H and W entries of a 4-entry NHWC attribute, which must be 1 on N and C. */
    private long[] hw(GraphNode n, String key, String w, boolean positive) {
        long[] v = ints(n, key, w);
        if (v.length != 4 || v[0] != 1 || v[3] != 1 || (positive && (v[1] < 1 || v[2] < 1))
                || v[1] > 65536 || v[2] > 65536) {
            throw new TfjsFormatException(w + ": unsupported " + key + " " + Arrays.toString(v)
                    + " (expected [1, h, w, 1])");
        }
        return new long[]{v[1], v[2]};
    }

    /** A DataType attribute: {@code {type: ...}}. */
    private static int typeOf(JsonAt attr, String w) {
        return typeCode(attr.field("type"));
    }

    /** A DataType value: the enum number (old converters) or its name ("DT_FLOAT"); -1 for any other type. */
    private static int typeCode(JsonAt t) {
        if (t.node().isTextual()) {
            return switch (t.text()) {
                case "DT_FLOAT" -> DT_FLOAT;
                case "DT_INT32" -> DT_INT32;
                default -> -1;
            };
        }
        return (int) t.integer();
    }

    // ---------------------------------------------------------------- Const

    /** A Const's value: from the weights manifest by node name, else inline in {@code attr.value.tensor}. */
    private TfjsTensor constTensor(GraphNode n, String w) {
        TfjsTensor t = model.weights().get(n.name());
        if (t != null) {
            return t;
        }
        JsonAt value = n.attr("value");
        if (value == null) {
            throw new TfjsFormatException(w + ": no weight of this name in the manifest and no inline value");
        }
        JsonAt tensor = value.field("tensor");
        int dtype = tensor.object().has("dtype") ? typeCode(tensor.field("dtype")) : DT_FLOAT;
        long[] shape = tensor.optional("tensorShape") == null ? new long[0] : tensorShape(tensor.field("tensorShape"));
        for (long d : shape) {
            if (d < 0) {
                throw tensor.error("constant with unknown size");
            }
        }
        long n64 = TfjsTensor.numElements(shape);
        if (n64 > 1 << 24) {
            throw tensor.error("inline constant of " + n64 + " elements is too large");
        }
        int count = (int) n64;
        if (dtype == DT_FLOAT) {
            float[] v = new float[count];
            JsonAt content = tensor.optional("tensorContent");
            if (content != null) {
                ByteBuffer bb = ByteBuffer.wrap(decodeContent(content, count)).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().get(v);
            } else {
                fill(tensor.optional("floatVal"), count, v, null, tensor);
            }
            return TfjsTensor.ofFloats(n.name(), shape, v);
        }
        if (dtype == DT_INT32) {
            int[] v = new int[count];
            JsonAt content = tensor.optional("tensorContent");
            if (content != null) {
                ByteBuffer.wrap(decodeContent(content, count)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
            } else {
                fill(tensor.optional("intVal"), count, null, v, tensor);
            }
            return TfjsTensor.ofInts(n.name(), shape, v);
        }
        throw tensor.error("unsupported constant dtype " + tensor.field("dtype").node());
    }

    private static byte[] decodeContent(JsonAt content, int count) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(content.text());
        } catch (IllegalArgumentException e) {
            throw content.error("not base64 (" + e.getMessage() + ")");
        }
        if (bytes.length != count * 4) {
            throw content.error("holds " + bytes.length + " bytes, the shape needs " + count * 4);
        }
        return bytes;
    }

    /** TF's TensorProto rule: one value fills the whole shape; otherwise exactly one value per element. */
    private static void fill(JsonAt values, int count, float[] f, int[] i, JsonAt tensor) {
        List<JsonAt> v = values == null ? List.of() : values.elements();
        if (v.size() != count && v.size() != 1) {
            throw tensor.error("holds " + v.size() + " values, the shape needs " + count);
        }
        for (int k = 0; k < count; k++) {
            JsonAt e = v.get(v.size() == 1 ? 0 : k);
            if (f != null) {
                f[k] = (float) e.number();
            } else {
                i[k] = e.integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
        }
    }
}
