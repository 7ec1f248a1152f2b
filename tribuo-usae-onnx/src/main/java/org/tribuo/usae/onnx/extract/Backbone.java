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
 * An ONNX Runtime session over a backbone network that returns named <em>intermediate</em> tensors
 * ("taps") as well as, or instead of, the declared outputs.
 *
 * <p>ONNX Runtime only returns declared graph outputs, so every tap is appended to the model's
 * {@code graph.output} list before the session is created. This is done by appending a serialized
 * {@code ModelProto{graph{output[{name}]}}} fragment to the model bytes: protobuf merges it into the
 * graph and the rest of the model (weights included) is not re-serialized. Declared outputs are
 * unchanged. Each tap must be the output of a top-level node or a graph input; otherwise the error
 * names the model and lists the closest tensor names.
 *
 * <p>Thread safety: {@link #run} may be called from several threads (ORT sessions are thread safe),
 * but {@link #close} must not race with it.
 */
public final class Backbone implements AutoCloseable {

    /** How to create the session. Immutable; use {@link #builder()}. */
    public static final class Options {
        private final Device device;
        private final int deviceId;
        private final int intraOpThreads;
        private final boolean spinning;

        private Options(Builder b) {
            this.device = b.device;
            this.deviceId = b.deviceId;
            this.intraOpThreads = b.intraOpThreads;
            this.spinning = b.spinning;
        }

        /** @return a builder holding the defaults (CPU, ORT's default thread count, spinning on). */
        public static Builder builder() {
            return new Builder();
        }

        /** @return the CPU defaults. */
        public static Options cpu() {
            return builder().build();
        }

        /** @return the execution provider. */
        public Device device() {
            return device;
        }

        /** @return the CUDA device id (ignored on CPU). */
        public int deviceId() {
            return deviceId;
        }

        /** @return intra-op threads, 0 for ORT's default. */
        public int intraOpThreads() {
            return intraOpThreads;
        }

        /** @return whether ORT intra-op threads spin after a run. */
        public boolean spinning() {
            return spinning;
        }

        @Override
        public String toString() {
            return "Options[device=" + device + (device == Device.CUDA ? ":" + deviceId : "")
                    + ", intraOpThreads=" + intraOpThreads + ", spinning=" + spinning + "]";
        }

        /** Builder for {@link Options}. */
        public static final class Builder {
            private Device device = Device.CPU;
            private int deviceId = 0;
            private int intraOpThreads = 0;
            private boolean spinning = true;

            private Builder() {
            }

            /** @param d the execution provider. @return this. */
            public Builder device(Device d) {
                this.device = Objects.requireNonNull(d, "device");
                return this;
            }

            /** @param id CUDA device id, at least 0. @return this. */
            public Builder deviceId(int id) {
                if (id < 0) {
                    throw new IllegalArgumentException("CUDA device id must be >= 0, got " + id);
                }
                this.deviceId = id;
                return this;
            }

            /** @param n intra-op threads, 0 for ORT's default (one per core). @return this. */
            public Builder intraOpThreads(int n) {
                if (n < 0) {
                    throw new IllegalArgumentException("intra-op threads must be >= 0, got " + n);
                }
                this.intraOpThreads = n;
                return this;
            }

            /**
             * @param on whether ORT threads spin between runs (lower latency; steals cores from Java code
             *           that runs between batches). @return this.
             */
            public Builder spinning(boolean on) {
                this.spinning = on;
                return this;
            }

            /** @return the options. */
            public Options build() {
                return new Options(this);
            }
        }
    }

    private final String label;
    private final List<String> taps;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Options options;
    private final Map<String, NodeInfo> inputs;
    private boolean closed;

    private Backbone(String label, List<String> taps, OrtEnvironment env, OrtSession session, Options options)
            throws OrtException {
        this.label = label;
        this.taps = taps;
        this.env = env;
        this.session = session;
        this.options = options;
        this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(session.getInputInfo()));
    }

    /**
     * Opens a model file and taps the named tensors.
     *
     * @param model   the {@code .onnx} file (weights inside; external data files are not supported).
     * @param taps    tensor names to return from {@link #run}, at least one, distinct.
     * @param options session options.
     * @return the backbone.
     * @throws BackboneException if the file cannot be read or parsed, a tap does not exist, or the
     *                           session cannot be created (for example CUDA asked but not available).
     */
    public static Backbone open(Path model, List<String> taps, Options options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new BackboneException(model + ": cannot read the ONNX model (" + e + ")", e);
        }
        return fromBytes(model.toString(), bytes, taps, options);
    }

    /**
     * Opens a model stored as a class-path resource (for example inside a Maven jar).
     *
     * @param resource absolute resource name, e.g. {@code models/ch_ppocr_mobile_v2.0_cls_infer.onnx}
     *                 (a leading {@code /} is optional).
     * @param taps     tensor names to return.
     * @param options  session options.
     * @return the backbone.
     */
    public static Backbone fromResource(String resource, List<String> taps, Options options) {
        return fromBytes("classpath:" + stripSlash(resource), readResource(resource), taps, options);
    }

    /**
     * Reads a class-path resource fully.
     *
     * @param resource absolute resource name (a leading {@code /} is optional).
     * @return its bytes.
     * @throws BackboneException if it is missing.
     */
    public static byte[] readResource(String resource) {
        String r = stripSlash(resource);
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Backbone.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream(r)) {
            if (in == null) {
                throw new BackboneException("classpath:" + r + ": no such resource on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BackboneException("classpath:" + r + ": cannot read (" + e + ")", e);
        }
    }

    private static String stripSlash(String r) {
        return r.startsWith("/") ? r.substring(1) : r;
    }

    /**
     * Opens a model from its bytes.
     *
     * @param label   how errors name the model (a file name, a resource).
     * @param model   the serialized {@code ModelProto}.
     * @param taps    tensor names to return from {@link #run}, at least one, distinct.
     * @param options session options.
     * @return the backbone.
     */
    public static Backbone fromBytes(String label, byte[] model, List<String> taps, Options options) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        if (taps == null || taps.isEmpty()) {
            throw new BackboneException(label + ": no tap names given; name at least one tensor to return");
        }
        if (new LinkedHashSet<>(taps).size() != taps.size()) {
            throw new BackboneException(label + ": duplicate tap names in " + taps);
        }
        OnnxMl.GraphProto graph = OnnxGraphs.parseGraph(label, model);
        Set<String> available = OnnxGraphs.tensorNames(graph);
        Set<String> declared = new LinkedHashSet<>();
        for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
            declared.add(v.getName());
        }
        List<String> toAdd = new ArrayList<>();
        for (String t : taps) {
            if (!available.contains(t)) {
                throw new BackboneException(label + ": no tensor named '" + t + "' in the model graph ("
                        + available.size() + " tensors). Closest names: " + OnnxGraphs.closest(t, available, OnnxGraphs.byOpType(graph, t), 8)
                        + ". Tap names must be node outputs or graph inputs of the top-level graph.");
            }
            if (!declared.contains(t)) {
                toAdd.add(t);
            }
        }
        byte[] tapped = withExtraOutputs(model, toAdd);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (!options.spinning()) {
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            if (options.device() == Device.CUDA) {
                Set<OrtProvider> avail = OrtEnvironment.getAvailableProviders();
                if (!avail.contains(OrtProvider.CUDA)) {
                    throw new BackboneException(label + ": CUDA was asked for but this ONNX Runtime build offers only "
                            + avail + ". Put com.microsoft.onnxruntime:onnxruntime_gpu:1.28.0 on the class path instead "
                            + "of onnxruntime (Maven: -Donnxruntime.artifact=onnxruntime_gpu) and make CUDA 12 + cuDNN 9 "
                            + "libraries loadable, or run on CPU.");
                }
                try {
                    so.addCUDA(options.deviceId());
                } catch (OrtException e) {
                    throw new BackboneException(label + ": CUDA execution provider (device " + options.deviceId()
                            + ") could not be added: " + e.getMessage()
                            + ". Check that CUDA 12 (cudart, cuBLAS) and cuDNN 9 libraries are on LD_LIBRARY_PATH.", e);
                }
            }
            OrtSession session = env.createSession(tapped, so);
            return new Backbone(label, List.copyOf(taps), env, session, options);
        } catch (OrtException e) {
            throw new BackboneException(label + ": ONNX Runtime could not create a session (" + e.getMessage() + ")", e);
        } finally {
            so.close();
        }
    }

    /**
     * @param label how errors name the model.
     * @param model the serialized model.
     * @return every tensor name in the graph (inputs, initializers, node outputs).
     */
    public static List<String> tensorNames(String label, byte[] model) {
        return OnnxGraphs.tensorNames(label, model);
    }

    /**
     * @param model the serialized {@code ModelProto}.
     * @param names tensor names to add to {@code graph.output}.
     * @return new bytes (the input when {@code names} is empty).
     */
    public static byte[] withExtraOutputs(byte[] model, List<String> names) {
        return OnnxGraphs.withExtraOutputs(model, names);
    }

    /** @return how errors name this model. */
    public String label() {
        return label;
    }

    /** @return the tapped tensor names, in the order given. */
    public List<String> taps() {
        return taps;
    }

    /** @return the session options used. */
    public Options options() {
        return options;
    }

    /** @return the ORT environment (to create input tensors). */
    public OrtEnvironment environment() {
        return env;
    }

    /** @return the model's inputs (name to type and shape, -1 for dynamic axes), in graph order. */
    public Map<String, NodeInfo> inputs() {
        return inputs;
    }

    /** @return the names of the model's inputs. */
    public Set<String> inputNames() {
        return new TreeSet<>(inputs.keySet());
    }

    /**
     * Runs the model and copies out every tap.
     *
     * @param feed input name to tensor; must name every model input. The caller keeps ownership.
     * @return tap name to activation, in tap order.
     * @throws BackboneException if an input is missing or unknown, ORT fails, or a tap is not a
     *                           floating point tensor.
     */
    public Map<String, Activation> run(Map<String, ? extends OnnxTensorLike> feed) {
        if (closed) {
            throw new IllegalStateException(label + ": backbone is closed");
        }
        for (String k : feed.keySet()) {
            if (!inputs.containsKey(k)) {
                throw new BackboneException(label + ": unknown input '" + k + "'; the model takes " + inputs.keySet());
            }
        }
        for (String k : inputs.keySet()) {
            if (!feed.containsKey(k)) {
                throw new BackboneException(label + ": missing input '" + k + "'; the model takes " + inputs.keySet());
            }
        }
        Map<String, Activation> out = new LinkedHashMap<>();
        try (OrtSession.Result r = session.run(feed, new LinkedHashSet<>(taps))) {
            for (String t : taps) {
                OnnxValue v = r.get(t).orElseThrow(() -> new BackboneException(label + ": ORT returned no value for tap '" + t + "'"));
                if (!(v instanceof OnnxTensor tensor)) {
                    throw new BackboneException(label + ": tap '" + t + "' is a " + v.getType() + ", not a tensor");
                }
                out.put(t, toActivation(t, tensor));
            }
        } catch (OrtException e) {
            throw new BackboneException(label + ": run failed (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private Activation toActivation(String name, OnnxTensor t) {
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        OnnxJavaType type = info.type;
        float[] data;
        switch (type) {
            case FLOAT, FLOAT16, BFLOAT16 -> {
                FloatBuffer fb = t.getFloatBuffer();
                data = new float[fb.remaining()];
                fb.get(data);
            }
            case DOUBLE -> {
                DoubleBuffer db = t.getDoubleBuffer();
                data = new float[db.remaining()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) db.get(i);
                }
            }
            default -> throw new BackboneException(label + ": tap '" + name + "' has element type " + type
                    + "; only float, float16, bfloat16 and double tensors can be tapped");
        }
        return new Activation(name, shape, data);
    }

    /**
     * Creates a float input tensor owned by the caller (close it after {@link #run}).
     *
     * @param data  row-major values.
     * @param shape the shape.
     * @return the tensor.
     */
    public OnnxTensor floatTensor(float[] data, long[] shape) {
        try {
            ByteBuffer bb = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
            bb.asFloatBuffer().put(data);
            return OnnxTensor.createTensor(env, bb.asFloatBuffer(), shape);
        } catch (OrtException e) {
            throw new BackboneException(label + ": cannot create an input tensor (" + e.getMessage() + ")", e);
        }
    }

    /** Closes the session. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new BackboneException(label + ": close failed (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "Backbone[" + label + ", taps=" + taps + ", " + options + "]";
    }
}
