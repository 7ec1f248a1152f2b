package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Static shapes of every tensor of a graph for one input shape, and the values of its small int64 tensors
 * (the shape arithmetic that feeds Reshape and Slice), found by running the forward graph once on zeros with
 * every node output exposed.
 *
 * @param shapes tensor name to shape, for node outputs and initialisers.
 * @param longs  tensor name to values, for int64 tensors of at most {@value #MAX_LONGS} elements.
 */
public record ShapeProbe(Map<String, long[]> shapes, Map<String, long[]> longs) {
    /** Largest int64 tensor whose values are kept. */
    public static final int MAX_LONGS = 64;

    /**
     * Runs the probe.
     *
     * @param label      how errors name the model.
     * @param model      the parsed model.
     * @param input      the graph input to feed (float32); every other graph input must be an initialiser.
     * @param inputShape its concrete shape.
     * @return the shapes and small int64 values.
     */
    public static ShapeProbe run(String label, OnnxMl.ModelProto model, String input, long[] inputShape) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, long[]> longs = new HashMap<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            shapes.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            if (t.getDataType() == OnnxMl.TensorProto.DataType.INT64.getNumber()) {
                long[] v = OnnxTensors.int64Values(t);
                if (v.length <= MAX_LONGS) {
                    longs.put(t.getName(), v);
                }
            }
        }
        Set<String> outputs = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && !shapes.containsKey(o)) {
                    outputs.add(o);
                }
            }
        }
        OnnxMl.GraphProto.Builder probe = g.toBuilder().clearOutput();
        for (String o : outputs) {
            probe.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(o));
        }
        byte[] bytes = model.toBuilder().setGraph(probe).build().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long count = Arrays.stream(inputShape).reduce(1, Math::multiplyExact);
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(bytes, so);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.allocate((int) count), inputShape);
                 OrtSession.Result r = s.run(Map.of(input, x))) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    if (!(e.getValue() instanceof OnnxTensor t)) {
                        continue;
                    }
                    shapes.put(e.getKey(), t.getInfo().getShape());
                    if (t.getInfo().type == OnnxJavaType.INT64 && t.getInfo().getNumElements() <= MAX_LONGS) {
                        LongBuffer lb = t.getLongBuffer();
                        long[] v = new long[lb.remaining()];
                        lb.get(v);
                        longs.put(e.getKey(), v);
                    }
                }
            }
        } catch (OrtException e) {
            throw new GradientException(label + ": running the forward graph on input '" + input + "' of shape "
                    + Arrays.toString(inputShape) + " failed: " + e.getMessage(), e);
        }
        shapes.put(input, inputShape.clone());
        return new ShapeProbe(Map.copyOf(shapes), Map.copyOf(longs));
    }

    /** @param name a tensor. @return its shape. @throws GradientException if unknown. */
    public long[] shape(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new GradientException("no static shape for tensor '" + name + "'");
        }
        return s;
    }

    /** @param name an int64 tensor. @return its values. @throws GradientException if not known at build time. */
    public long[] values(String name) {
        long[] v = longs.get(name);
        if (v == null) {
            throw new GradientException("the values of int64 tensor '" + name + "' are not known when the gradient"
                    + " graph is built (not a small constant)");
        }
        return v;
    }

    /** @return whether {@code name} has known int64 values. */
    public boolean hasValues(String name) {
        return longs.containsKey(name);
    }

}
