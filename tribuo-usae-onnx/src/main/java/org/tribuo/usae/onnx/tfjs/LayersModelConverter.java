package org.tribuo.usae.onnx.tfjs;

import org.tribuo.usae.onnx.tfjs.NchwGraph.Pads;
import org.tribuo.usae.onnx.tfjs.NchwGraph.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the part of a tfjs layers model (Keras functional or sequential config) between an input layer and
 * the tap layers.
 *
 * <p>Supported layers: InputLayer, Conv2D, DepthwiseConv2D, BatchNormalization, Activation and layer activations
 * (linear, relu, relu6, sigmoid, softmax), ReLU (max_value, no slope or threshold), Add, Concatenate,
 * ZeroPadding2D, AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D, Dense (on [N x features]), Flatten and
 * Dropout (identity at inference). Weights are found as {@code <layer>/<weight>} ({@code Conv1/kernel},
 * {@code bn_Conv1/moving_mean}), optionally under a scope prefix.
 */
final class LayersModelConverter {
    /** One Keras layer with its inbound layer names (functional: from inbound_nodes; sequential: the previous). */
    private record Layer(String name, String className, JsonAt config, List<String> inbound, JsonAt at) {
        String where(String file) {
            return file + ": layer '" + name + "' (" + className + ")";
        }
    }

    private final TfjsModel model;
    private final String file;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private final Map<String, Value> converted = new LinkedHashMap<>();
    private NchwGraph graph;

    private LayersModelConverter(TfjsModel model) {
        this.model = model;
        this.file = model.fileName();
        JsonAt config = model.layersConfig();
        String cls = config.field("class_name").text();
        List<JsonAt> list = layers(config);
        String previous = null;
        for (JsonAt l : list) {
            Layer layer = layer(l, cls.equals("Sequential"), previous);
            if (layers.put(layer.name, layer) != null) {
                throw l.field("name").error("duplicate layer name '" + layer.name + "'");
            }
            previous = layer.name;
        }
    }

    /** @param modelConfig {@code {class_name, config}}. @return the layer entries. */
    static List<JsonAt> layers(JsonAt modelConfig) {
        String cls = modelConfig.field("class_name").text();
        JsonAt config = modelConfig.field("config");
        switch (cls) {
            case "Model":
            case "Functional":
                return config.field("layers").elements();
            case "Sequential":
                // Keras < 2.2.3 wrote a sequential config as the bare layer list
                return config.node().isArray() ? config.elements() : config.field("layers").elements();
            default:
                throw modelConfig.field("class_name").error("unsupported model class '" + cls
                        + "' (Model, Functional and Sequential are)");
        }
    }

    private Layer layer(JsonAt l, boolean sequential, String previous) {
        String cls = l.field("class_name").text();
        JsonAt config = l.field("config").object();
        String name = l.has("name") ? l.field("name").text() : config.field("name").text();
        List<String> inbound = new ArrayList<>();
        if (sequential) {
            if (previous != null) {
                inbound.add(previous);
            }
        } else {
            JsonAt nodes = l.optional("inbound_nodes");
            List<JsonAt> calls = nodes == null ? List.of() : nodes.elements();
            if (calls.size() > 1) {
                throw nodes.error("layer '" + name + "' is called " + calls.size()
                        + " times (shared layers are not supported)");
            }
            for (JsonAt call : calls) {
                if (!call.node().isArray()) {
                    throw call.error("unsupported inbound node format (Keras 3 'args' form); expected "
                            + "[[layer, node, tensor, kwargs], ...]");
                }
                for (JsonAt tensor : call.elements()) {
                    List<JsonAt> ref = tensor.elements();
                    if (ref.size() < 3) {
                        throw tensor.error("expected [layer, node_index, tensor_index, kwargs]");
                    }
                    if (ref.get(1).integer() != 0 || ref.get(2).integer() != 0) {
                        throw tensor.error("only node 0, tensor 0 of an inbound layer is supported");
                    }
                    inbound.add(ref.get(0).text());
                }
            }
        }
        return new Layer(name, cls, config, List.copyOf(inbound), l);
    }

    static TfjsToOnnx.Converted convert(TfjsModel model, ConversionOptions options) {
        return new LayersModelConverter(model).run(options);
    }

    private TfjsToOnnx.Converted run(ConversionOptions options) {
        Map<String, String> tapNodes = new LinkedHashMap<>();
        for (String tap : options.taps()) {
            if (!layers.containsKey(tap)) {
                throw new TfjsFormatException(file + ": no layer named '" + tap + "'");
            }
            tapNodes.put(tap, tap);
        }
        Layer input = inputLayer(options);
        long[] shape = options.inputShape() != null ? options.inputShape() : declaredShape(input);
        List<String> reserved = new ArrayList<>(options.taps());
        reserved.add(input.name);
        graph = new NchwGraph(reserved);
        converted.put(input.name, graph.input(input.name, shape, options.nchwInput()));
        List<String> needed = Subgraph.order(file, options.taps(), input.name,
                name -> layers.containsKey(name) ? layers.get(name).inbound : null);
        for (String name : needed) {
            converted.put(name, convertLayer(layers.get(name)));
        }
        Map<String, Value> taps = new LinkedHashMap<>();
        for (String tap : options.taps()) {
            taps.put(tap, converted.get(tap));
        }
        long[] declared = shape.length == 4 && options.nchwInput()
                ? new long[]{shape[0], shape[3], shape[1], shape[2]} : shape;
        return new TfjsToOnnx.Converted(graph, input.name, declared, taps, tapNodes);
    }

    private Layer inputLayer(ConversionOptions options) {
        if (options.inputNode() != null) {
            Layer l = layers.get(options.inputNode());
            if (l == null) {
                throw new TfjsFormatException(file + ": no layer named '" + options.inputNode() + "' to use as the input");
            }
            return l;
        }
        List<Layer> inputs = layers.values().stream().filter(l -> l.className.equals("InputLayer")).toList();
        if (inputs.size() == 1) {
            return inputs.get(0);
        }
        Layer first = layers.values().stream().findFirst().orElseThrow(
                () -> new TfjsFormatException(file + ": the model has no layers"));
        if (inputs.isEmpty() && first.inbound.isEmpty()) {
            // a sequential model without an InputLayer: its first layer declares the input shape, and is fed
            return first;
        }
        throw new TfjsFormatException(file + ": " + inputs.size() + " InputLayers; name the input layer in the "
                + "conversion options");
    }

    private long[] declaredShape(Layer input) {
        JsonAt s = input.config.optional("batch_input_shape");
        if (s == null) {
            s = input.config.optional("batch_shape");
        }
        if (s == null) {
            throw new TfjsFormatException(input.where(file) + ": declares no batch_input_shape; give the input shape "
                    + "in the conversion options");
        }
        List<JsonAt> dims = s.elements();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (dims.get(i).node().isNull()) {
                if (i != 0) {
                    throw s.error("unknown size at axis " + i + "; give the input shape in the conversion options");
                }
                shape[i] = -1;
            } else {
                shape[i] = dims.get(i).integer(1, Integer.MAX_VALUE);
            }
        }
        return shape;
    }

    // ---------------------------------------------------------------- per-layer conversion

    private Value convertLayer(Layer l) {
        String w = l.where(file);
        if (l.inbound.isEmpty()) {
            throw new TfjsFormatException(w + ": the taps depend on this layer, which has no inputs and is not the "
                    + "input");
        }
        List<Value> in = new ArrayList<>();
        for (String s : l.inbound) {
            in.add(converted.get(s));
        }
        JsonAt c = l.config;
        switch (l.className) {
            case "Conv2D":
                return conv(l, one(in, w), false, w);
            case "DepthwiseConv2D":
                return conv(l, one(in, w), true, w);
            case "BatchNormalization":
                return batchNorm(l, one(in, w), w);
            case "Activation":
                return activation(one(in, w), c.field("activation").text(), c, w);
            case "ReLU": {
                double slope = c.has("negative_slope") ? c.field("negative_slope").number() : 0;
                double threshold = c.has("threshold") ? c.field("threshold").number() : 0;
                if (slope != 0 || threshold != 0) {
                    throw new TfjsFormatException(w + ": negative_slope/threshold other than 0 are not supported");
                }
                Value x = one(in, w);
                return c.has("max_value") ? graph.clip(x, 0f, (float) c.field("max_value").number())
                        : graph.unary("Relu", x);
            }
            case "Add": {
                if (in.size() < 2) {
                    throw new TfjsFormatException(w + ": adds " + in.size() + " tensors, expected at least 2");
                }
                Value sum = in.get(0);
                for (int i = 1; i < in.size(); i++) {
                    sum = graph.binary("Add", sum, in.get(i), w);
                }
                return sum;
            }
            case "Concatenate": {
                long axis = c.has("axis") ? c.field("axis").integer() : -1;
                return graph.concat(in, NchwGraph.normalizeAxis(axis, in.get(0).rank(), w), w);
            }
            case "ZeroPadding2D": {
                channelsLast(c, w);
                long[][] p = padding2d(c.field("padding"));
                return graph.zeroPad(one(in, w), new Pads(p[0][0], p[0][1], p[1][0], p[1][1]), w);
            }
            case "AveragePooling2D":
            case "MaxPooling2D": {
                channelsLast(c, w);
                Value x = one(in, w);
                long[] k = pair(c.field("pool_size"), w);
                long[] s = c.has("strides") ? pair(c.field("strides"), w) : k;
                Pads p = NchwGraph.pads(x, c.field("padding").text(), k, s, new long[]{1, 1}, w);
                return graph.pool(x, l.className.startsWith("Average"), k, s, p, w);
            }
            case "GlobalAveragePooling2D": {
                channelsLast(c, w);
                Value x = one(in, w);
                NchwGraph.spatial(x, w);
                return graph.reduceMean(x, new int[]{1, 2}, c.has("keepdims") && c.field("keepdims").bool());
            }
            case "Dense":
                return dense(l, one(in, w), w);
            case "Flatten":
                channelsLast(c, w);
                return graph.flatten(one(in, w), w);
            case "Dropout":
                return one(in, w); // inference: identity
            case "InputLayer":
                throw new TfjsFormatException(w + ": the taps depend on this InputLayer, which is not the input");
            default:
                throw new TfjsFormatException(w + ": unsupported layer class " + l.className);
        }
    }

    private Value conv(Layer l, Value x, boolean depthwise, String w) {
        JsonAt c = l.config;
        channelsLast(c, w);
        if (c.has("groups") && c.field("groups").integer() != 1) {
            throw new TfjsFormatException(w + ": groups=" + c.field("groups").integer() + " is not supported");
        }
        TfjsTensor kernel = weight(l, depthwise ? "depthwise_kernel" : "kernel", w);
        long[] ks = kernel.shape();
        long[] size = pair(c.field("kernel_size"), w);
        if (ks.length != 4 || ks[0] != size[0] || ks[1] != size[1]) {
            throw new TfjsFormatException(w + ": kernel weight shape " + Arrays.toString(ks)
                    + " does not match kernel_size " + Arrays.toString(size));
        }
        if (!depthwise && c.has("filters") && c.field("filters").integer() != ks[3]) {
            throw new TfjsFormatException(w + ": filters=" + c.field("filters").integer() + " but the kernel has "
                    + ks[3] + " output channels");
        }
        if (depthwise && c.has("depth_multiplier") && c.field("depth_multiplier").integer() != ks[3]) {
            throw new TfjsFormatException(w + ": depth_multiplier=" + c.field("depth_multiplier").integer()
                    + " but the kernel has multiplier " + ks[3]);
        }
        long[] strides = c.has("strides") ? pair(c.field("strides"), w) : new long[]{1, 1};
        long[] dilations = c.has("dilation_rate") ? pair(c.field("dilation_rate"), w) : new long[]{1, 1};
        Pads pads = NchwGraph.pads(x, c.field("padding").text(), size, strides, dilations, w);
        float[] bias = useBias(c) ? weight(l, "bias", w).floats() : null;
        Value y = graph.conv(x, kernel, bias, strides, dilations, pads, depthwise, w);
        return activation(y, c.has("activation") ? c.field("activation").text() : "linear", c, w);
    }

    private Value batchNorm(Layer l, Value x, String w) {
        JsonAt c = l.config;
        JsonAt axisAt = c.has("axis") ? c.field("axis") : null;
        long axis = -1;
        if (axisAt != null) {
            long[] axes = axisAt.node().isArray() ? axisAt.integers() : new long[]{axisAt.integer()};
            if (axes.length != 1) {
                throw axisAt.error("normalizing over " + axes.length + " axes is not supported");
            }
            axis = axes[0];
        }
        if (NchwGraph.normalizeAxis(axis, x.rank(), w) != x.rank() - 1) {
            throw new TfjsFormatException(w + ": normalizes axis " + axis + " of a rank-" + x.rank()
                    + " tensor; only the channel (last) axis is supported");
        }
        int ch = (int) x.shape()[x.rank() - 1];
        boolean scale = !c.has("scale") || c.field("scale").bool();
        boolean center = !c.has("center") || c.field("center").bool();
        float[] gamma = scale ? weight(l, "gamma", w).floats() : filled(ch, 1f);
        float[] beta = center ? weight(l, "beta", w).floats() : filled(ch, 0f);
        double eps = c.has("epsilon") ? c.field("epsilon").number() : 1e-3;
        return graph.batchNorm(x, gamma, beta, weight(l, "moving_mean", w).floats(),
                weight(l, "moving_variance", w).floats(), eps, w);
    }

    private Value dense(Layer l, Value x, String w) {
        JsonAt c = l.config;
        if (x.rank() != 2) {
            throw new TfjsFormatException(w + ": Dense on a rank-" + x.rank() + " input is not supported (rank 2 is)");
        }
        TfjsTensor kernel = weight(l, "kernel", w);
        if (c.has("units") && kernel.rank() == 2 && c.field("units").integer() != kernel.shape()[1]) {
            throw new TfjsFormatException(w + ": units=" + c.field("units").integer() + " but the kernel is "
                    + Arrays.toString(kernel.shape()));
        }
        float[] bias = useBias(c) ? weight(l, "bias", w).floats() : null;
        Value y = graph.gemm(x, kernel, false, bias, w);
        return activation(y, c.has("activation") ? c.field("activation").text() : "linear", c, w);
    }

    private Value activation(Value x, String name, JsonAt config, String w) {
        return switch (name) {
            case "linear" -> x;
            case "relu" -> graph.unary("Relu", x);
            case "relu6" -> graph.clip(x, 0f, 6f);
            case "sigmoid" -> graph.unary("Sigmoid", x);
            case "softmax" -> graph.softmax(x);
            default -> throw config.field("activation").error("unsupported activation '" + name + "' ("
                    + w.substring(file.length() + 2) + "; linear, relu, relu6, sigmoid and softmax are)");
        };
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The weight {@code <layer>/<suffix>}; converters may put a scope in front ({@code model/Conv1/kernel}), so
     * a unique name ending in {@code /<layer>/<suffix>} is accepted too.
     */
    private TfjsTensor weight(Layer l, String suffix, String w) {
        String key = l.name + "/" + suffix;
        TfjsTensor t = model.weights().get(key);
        if (t == null) {
            List<TfjsTensor> scoped = model.weights().values().stream()
                    .filter(v -> v.name().endsWith("/" + key)).toList();
            if (scoped.size() != 1) {
                throw new TfjsFormatException(w + ": weight '" + key + "' is " + (scoped.isEmpty() ? "not in the "
                        + "weights manifest" : "ambiguous (" + scoped.size() + " scoped matches)"));
            }
            t = scoped.get(0);
        }
        if (t.dtype() != TfjsTensor.DType.FLOAT32) {
            throw new TfjsFormatException(w + ": weight '" + key + "' is int32, expected float32");
        }
        return t;
    }

    private static boolean useBias(JsonAt c) {
        return !c.has("use_bias") || c.field("use_bias").bool();
    }

    private static float[] filled(int n, float v) {
        float[] out = new float[n];
        Arrays.fill(out, v);
        return out;
    }

    private static Value one(List<Value> in, String w) {
        if (in.size() != 1) {
            throw new TfjsFormatException(w + ": has " + in.size() + " inputs, expected 1");
        }
        return in.get(0);
    }

    private static void channelsLast(JsonAt c, String w) {
        if (c.has("data_format") && !c.field("data_format").text().equals("channels_last")) {
            throw c.field("data_format").error("only channels_last is supported (" + w + ")");
        }
    }

    /** An int or a pair [a, b] of positive ints. */
    private static long[] pair(JsonAt at, String w) {
        if (at.node().isArray()) {
            long[] v = at.integers();
            if (v.length != 2 || v[0] < 1 || v[1] < 1 || v[0] > 65536 || v[1] > 65536) {
                throw at.error("expected two positive sizes (" + w + ")");
            }
            return v;
        }
        long v = at.integer(1, 65536);
        return new long[]{v, v};
    }

    /** ZeroPadding2D padding: n, [h, w] (symmetric) or [[top, bottom], [left, right]]. */
    private static long[][] padding2d(JsonAt at) {
        if (!at.node().isArray()) {
            long p = at.integer(0, 65536);
            return new long[][]{{p, p}, {p, p}};
        }
        List<JsonAt> e = at.elements();
        if (e.size() != 2) {
            throw at.error("expected 2 entries");
        }
        long[][] out = new long[2][];
        for (int i = 0; i < 2; i++) {
            if (e.get(i).node().isArray()) {
                long[] v = e.get(i).integers();
                if (v.length != 2 || v[0] < 0 || v[1] < 0 || v[0] > 65536 || v[1] > 65536) {
                    throw e.get(i).error("expected [before, after] with non-negative sizes");
                }
                out[i] = v;
            } else {
                long p = e.get(i).integer(0, 65536);
                out[i] = new long[]{p, p};
            }
        }
        return out;
    }
}
