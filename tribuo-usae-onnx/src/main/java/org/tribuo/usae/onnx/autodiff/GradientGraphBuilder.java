package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the reverse-mode gradient of an ONNX graph with respect to one float input, as more ONNX nodes that
 * ONNX Runtime executes together with the forward pass.
 *
 * <p>Why this and not ND4J SameDiff's ONNX import: the forward graph keeps running in ONNX Runtime, which already
 * runs every backbone the project ships (so no second importer with its own op coverage has to agree with it),
 * and the backward nodes are plain inference operators (ConvTranspose, MatMul, ReduceSum, Pad, ...), so the same
 * builder works on the CPU and CUDA providers and can serve the ORT training engine.
 *
 * <p>Only nodes on a path from the input to the output get a rule; nodes that compute shapes, constants or
 * other outputs are left as they are. The supported operators are the keys of {@link #RULES}; any other operator
 * on the path is refused with an error naming it and the node.
 */
public final class GradientGraphBuilder {
    /** Operators whose outputs never carry a gradient (integers, booleans, shapes). */
    private static final Set<String> NON_DIFFERENTIABLE = Set.of("Shape", "Size", "Constant", "ConstantOfShape",
            "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "ArgMax", "ArgMin",
            "NonZero", "Range");

    /** The vector-Jacobian product rule of every supported operator. */
    public static final Map<String, Vjp> RULES;

    static {
        Map<String, Vjp> r = new HashMap<>();
        ElementwiseRules.register(r);
        ShapeRules.register(r);
        LinearRules.register(r);
        ConvPoolRules.register(r);
        RULES = Map.copyOf(r);
    }

    private GradientGraphBuilder() {
    }

    /**
     * Builds the gradient graph.
     *
     * @param label      how errors name the model.
     * @param model      the serialized forward model (weights inside).
     * @param input      the float input to differentiate against; other graph inputs must be initialisers.
     * @param inputShape the concrete input shape the graph is built for.
     * @param output     any float tensor of the graph that depends on the input.
     * @return the extended model and its names.
     * @throws GradientException naming the operator and node when a node on the path has no rule.
     */
    public static GradientGraph build(String label, byte[] model, String input, long[] inputShape, String output) {
        OnnxMl.ModelProto mp;
        try {
            mp = OnnxMl.ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new GradientException(label + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        OnnxMl.GraphProto g = mp.getGraph();
        int opset = defaultOpset(mp);
        if (g.getInputList().stream().noneMatch(v -> v.getName().equals(input))) {
            throw new GradientException(label + ": no graph input '" + input + "'; inputs are "
                    + g.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
        }
        ShapeProbe probe = ShapeProbe.run(label, mp, input, inputShape);
        if (!probe.shapes().containsKey(output)) {
            throw new GradientException(label + ": no tensor '" + output + "' in the graph");
        }
        Set<String> requires = forwardDependents(g, input);
        if (!requires.contains(output)) {
            throw new GradientException(label + ": tensor '" + output + "' does not depend differentiably on input '"
                    + input + "'");
        }
        Set<String> taken = new HashSet<>(probe.shapes().keySet());
        g.getInputList().forEach(v -> taken.add(v.getName()));
        g.getNodeList().forEach(n -> taken.add(n.getName()));
        GraphEmitter e = new GraphEmitter(opset, "grad/", taken);
        String seed = e.fresh("seed_of_" + output);
        Map<String, List<String>> grads = new LinkedHashMap<>();
        grads.computeIfAbsent(output, k -> new ArrayList<>()).add(seed);

        List<OnnxMl.NodeProto> nodes = g.getNodeList();
        for (int idx = nodes.size() - 1; idx >= 0; idx--) {
            OnnxMl.NodeProto n = nodes.get(idx);
            if (n.getOutputList().stream().noneMatch(grads::containsKey)) {
                continue;
            }
            for (int o = 1; o < n.getOutputCount(); o++) {
                if (grads.containsKey(n.getOutput(o))) {
                    throw new GradientException(label + ": " + n.getOpType() + " node '" + n.getName()
                            + "': a gradient flows into its output " + o + " ('" + n.getOutput(o)
                            + "'); only first outputs are differentiated");
                }
            }
            boolean[] need = new boolean[n.getInputCount()];
            boolean any = false;
            for (int i = 0; i < need.length; i++) {
                need[i] = requires.contains(n.getInput(i));
                any |= need[i];
            }
            if (!any) {
                continue;
            }
            Vjp rule = RULES.get(n.getOpType());
            if (rule == null || !n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new GradientException(label + ": no gradient rule for operator " + n.getOpType()
                        + (n.getDomain().isEmpty() ? "" : " (domain " + n.getDomain() + ")") + " at node '"
                        + n.getName() + "' (output '" + n.getOutput(0) + "'); supported: " + new TreeSet<>(RULES.keySet()));
            }
            String dy = sum(e, grads.get(n.getOutput(0)));
            String[] din;
            try {
                din = rule.apply(new NodeGrad(n, dy, e, probe), need);
            } catch (GradientException ex) {
                throw new GradientException(label + ": " + ex.getMessage(), ex);
            }
            for (int i = 0; i < need.length; i++) {
                if (!need[i]) {
                    continue;
                }
                if (i >= din.length || din[i] == null) {
                    throw new GradientException(label + ": the " + n.getOpType() + " rule gave no gradient for input "
                            + i + " ('" + n.getInput(i) + "') of node '" + n.getName() + "'");
                }
                grads.computeIfAbsent(n.getInput(i), k -> new ArrayList<>()).add(din[i]);
            }
        }
        String gradName = e.fresh("grad_of_" + input);
        e.nodes().add(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName(gradName + "_node")
                .addInput(sum(e, grads.get(input))).addOutput(gradName).build());

        long[] outShape = probe.shape(output);
        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearOutput()
                .addInput(floatInfo(seed, outShape))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output))
                .addOutput(floatInfo(gradName, inputShape))
                .addAllNode(e.nodes()).addAllInitializer(e.initializers());
        byte[] bytes = mp.toBuilder().setGraph(gb).build().toByteArray();
        return new GradientGraph(bytes, input, inputShape.clone(), output, outShape, seed, gradName);
    }

    private static String sum(GraphEmitter e, List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : e.op("Sum", parts);
    }

    /** Tensors that depend on {@code input} through differentiable operators (nodes are in topological order). */
    private static Set<String> forwardDependents(OnnxMl.GraphProto g, String input) {
        Set<String> req = new HashSet<>();
        req.add(input);
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (NON_DIFFERENTIABLE.contains(n.getOpType()) || isIntegerCast(n)) {
                continue;
            }
            if (n.getInputList().stream().anyMatch(req::contains)) {
                req.add(n.getOutput(0));
            }
        }
        return req;
    }

    private static boolean isIntegerCast(OnnxMl.NodeProto n) {
        if (!n.getOpType().equals("Cast")) {
            return false;
        }
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("to")) {
                long t = a.getI();
                return t != OnnxMl.TensorProto.DataType.FLOAT.getNumber()
                        && t != OnnxMl.TensorProto.DataType.DOUBLE.getNumber()
                        && t != OnnxMl.TensorProto.DataType.FLOAT16.getNumber();
            }
        }
        return false;
    }

    private static int defaultOpset(OnnxMl.ModelProto mp) {
        for (OnnxMl.OperatorSetIdProto o : mp.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        throw new GradientException("the model imports no default-domain opset");
    }

    private static OnnxMl.ValueInfoProto floatInfo(String name, long[] shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        Arrays.stream(shape).forEach(d -> s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}
