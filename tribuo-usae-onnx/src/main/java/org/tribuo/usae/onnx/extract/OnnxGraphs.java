package org.tribuo.usae.onnx.extract;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading and editing serialized ONNX graphs for {@link Backbone}: tensor names, extra graph outputs
 * (taps) appended without re-serializing the weights, and "did you mean" suggestions for unknown taps.
 */
final class OnnxGraphs {
    private OnnxGraphs() {
    }

    static OnnxMl.GraphProto parseGraph(String label, byte[] model) {
        try {
            OnnxMl.ModelProto mp = OnnxMl.ModelProto.parseFrom(model);
            if (!mp.hasGraph() || mp.getGraph().getNodeCount() == 0) {
                throw new BackboneException(label + ": not an ONNX model (no graph or no nodes)");
            }
            return mp.getGraph();
        } catch (InvalidProtocolBufferException e) {
            throw new BackboneException(label + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
    }

    static Set<String> tensorNames(OnnxMl.GraphProto g) {
        Set<String> names = new LinkedHashSet<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            names.add(v.getName());
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    names.add(o);
                }
            }
        }
        return names;
    }

    /**
     * Lists the tensors a model offers as taps, in graph order: graph inputs, then every top-level
     * node output.
     *
     * @param label how errors name the model.
     * @param model the serialized model.
     * @return the names.
     */
    public static List<String> tensorNames(String label, byte[] model) {
        return List.copyOf(tensorNames(parseGraph(label, model)));
    }

    /**
     * Appends extra graph outputs to serialized model bytes, without re-serializing the model.
     *
     * @param model the serialized {@code ModelProto}.
     * @param names tensor names to add to {@code graph.output}; no type information is needed.
     * @return new bytes (the input when {@code names} is empty).
     */
    public static byte[] withExtraOutputs(byte[] model, List<String> names) {
        if (names.isEmpty()) {
            return model;
        }
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder();
        for (String n : names) {
            g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(n));
        }
        byte[] tail = OnnxMl.ModelProto.newBuilder().setGraph(g).build().toByteArray();
        byte[] out = new byte[model.length + tail.length];
        System.arraycopy(model, 0, out, 0, model.length);
        System.arraycopy(tail, 0, out, model.length, tail.length);
        return out;
    }

    /** Outputs of nodes whose op type is named in the query (e.g. "MaxPool" in "p2o.MaxPool.1"). */
    static Set<String> byOpType(OnnxMl.GraphProto g, String query) {
        String q = query.toLowerCase(Locale.ROOT);
        Set<String> out = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            String op = n.getOpType().toLowerCase(Locale.ROOT);
            if (op.length() >= 3 && q.contains(op)) {
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty()) {
                        out.add(o + " (" + n.getOpType() + ")");
                    }
                }
            }
        }
        return out;
    }

    static List<String> closest(String name, Set<String> pool, Set<String> preferred, int k) {
        List<String> first = new ArrayList<>(preferred);
        if (first.size() >= k) {
            return first.subList(0, k);
        }
        List<String> rest = closest(name, pool, k - first.size());
        first.addAll(rest);
        return first;
    }

    static List<String> closest(String name, Set<String> pool, int k) {
        String q = name.toLowerCase(Locale.ROOT);
        List<String> sorted = new ArrayList<>(pool);
        Map<String, Integer> score = new LinkedHashMap<>();
        for (String s : sorted) {
            String l = s.toLowerCase(Locale.ROOT);
            int d = levenshtein(q, l);
            if (l.contains(q) || q.contains(l)) {
                d = Math.min(d, Math.abs(l.length() - q.length()) / 4);
            }
            score.put(s, d);
        }
        sorted.sort(Comparator.comparingInt((String s) -> score.get(s)).thenComparing(s -> s));
        return sorted.subList(0, Math.min(k, sorted.size()));
    }

    static int levenshtein(String a, String b) {
        if (a.length() > 200 || b.length() > 200) {
            return Math.abs(a.length() - b.length()) + 100;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
