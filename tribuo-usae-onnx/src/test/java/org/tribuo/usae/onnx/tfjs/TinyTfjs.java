package org.tribuo.usae.onnx.tfjs;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Writes tiny hand-made tfjs models (graph or layers) with their weight shards into a folder, and runs converted
 * models in ONNX Runtime. The weights are split over two shards so that every test also reads a concatenation.
 */
final class TinyTfjs {
    static final ObjectMapper JSON = new ObjectMapper();
    static final double TOL = 1e-5;

    private final boolean graphModel;
    private final ArrayNode nodes = JSON.createArrayNode();
    private final ArrayNode layers = JSON.createArrayNode();
    private final ArrayNode weights = JSON.createArrayNode();
    private final ByteArrayOutputStream bin = new ByteArrayOutputStream();

    private TinyTfjs(boolean graphModel) {
        this.graphModel = graphModel;
    }

    static TinyTfjs graph() {
        return new TinyTfjs(true);
    }

    static TinyTfjs layers() {
        return new TinyTfjs(false);
    }

    // ---------------------------------------------------------------- weights

    TinyTfjs weight(String name, long[] shape, float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        return raw(name, "float32", shape, bb.array());
    }

    TinyTfjs weightInts(String name, long[] shape, int[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(v);
        return raw(name, "int32", shape, bb.array());
    }

    private TinyTfjs raw(String name, String dtype, long[] shape, byte[] bytes) {
        bin.writeBytes(bytes);
        weights.addObject().put("name", name).put("dtype", dtype).set("shape", JSON.valueToTree(shape));
        return this;
    }

    /** A uint8-quantised float weight: value = min + scale * q. */
    TinyTfjs weightUint8(String name, long[] shape, byte[] q, double min, double scale) {
        bin.writeBytes(q);
        ObjectNode w = weights.addObject().put("name", name).put("dtype", "float32");
        w.set("shape", JSON.valueToTree(shape));
        w.putObject("quantization").put("min", min).put("scale", scale).put("dtype", "uint8");
        return this;
    }

    // ---------------------------------------------------------------- graph model

    TinyTfjs placeholder(String name, long... shape) {
        ObjectNode dims = JSON.createObjectNode();
        ArrayNode dim = dims.putArray("dim");
        for (long d : shape) {
            dim.addObject().put("size", Long.toString(d));
        }
        ObjectNode n = nodes.addObject().put("name", name).put("op", "Placeholder");
        n.putObject("attr").set("shape", JSON.createObjectNode().set("shape", dims));
        n.with("attr").set("dtype", type("DT_FLOAT"));
        return this;
    }

    /** A float Const node whose value is in the manifest. */
    TinyTfjs constant(String name, long[] shape, float[] v) {
        weight(name, shape, v);
        nodes.addObject().put("name", name).put("op", "Const").putObject("attr").set("dtype", type("DT_FLOAT"));
        return this;
    }

    TinyTfjs constantInts(String name, long[] shape, int[] v) {
        weightInts(name, shape, v);
        nodes.addObject().put("name", name).put("op", "Const").putObject("attr").set("dtype", type("DT_INT32"));
        return this;
    }

    /** @param attrs alternating attribute names and values (see {@link #s}, {@link #ints}...). */
    TinyTfjs node(String name, String op, String[] inputs, Object... attrs) {
        ObjectNode n = nodes.addObject().put("name", name).put("op", op);
        ArrayNode in = n.putArray("input");
        for (String i : inputs) {
            in.add(i);
        }
        ObjectNode a = n.putObject("attr");
        a.set("T", type("DT_FLOAT"));
        for (int i = 0; i < attrs.length; i += 2) {
            a.set((String) attrs[i], (ObjectNode) attrs[i + 1]);
        }
        return this;
    }

    static String[] in(String... inputs) {
        return inputs;
    }

    static ObjectNode s(String v) {
        return JSON.createObjectNode().put("s", Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
    }

    static ObjectNode ints(long... v) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode i = o.putObject("list").putArray("i");
        for (long x : v) {
            i.add(Long.toString(x));
        }
        return o;
    }

    static ObjectNode strs(String... v) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode s = o.putObject("list").putArray("s");
        for (String x : v) {
            s.add(Base64.getEncoder().encodeToString(x.getBytes(StandardCharsets.UTF_8)));
        }
        return o;
    }

    static ObjectNode f(double v) {
        return JSON.createObjectNode().put("f", v);
    }

    static ObjectNode b(boolean v) {
        return JSON.createObjectNode().put("b", v);
    }

    static ObjectNode type(String dt) {
        return JSON.createObjectNode().put("type", dt);
    }

    // ---------------------------------------------------------------- layers model

    /** @param config the layer config (its name is added); @param inbound names of the inbound layers. */
    TinyTfjs layer(String name, String className, ObjectNode config, String... inbound) {
        ObjectNode l = layers.addObject().put("name", name).put("class_name", className);
        config.put("name", name);
        l.set("config", config);
        ArrayNode nodesOf = l.putArray("inbound_nodes");
        if (inbound.length > 0) {
            ArrayNode call = nodesOf.addArray();
            for (String i : inbound) {
                call.addArray().add(i).add(0).add(0).addObject();
            }
        }
        return this;
    }

    static ObjectNode config(Object... kv) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return o;
    }

    // ---------------------------------------------------------------- files

    /** Writes model.json and the two shards. @return the folder. */
    Path write(Path dir) throws Exception {
        Files.createDirectories(dir);
        byte[] all = bin.toByteArray();
        int half = all.length / 2;
        Files.write(dir.resolve("group1-shard1of2"), Arrays.copyOfRange(all, 0, half));
        Files.write(dir.resolve("group1-shard2of2"), Arrays.copyOfRange(all, half, all.length));
        ObjectNode root = JSON.createObjectNode();
        root.put("format", graphModel ? "graph-model" : "layers-model");
        ObjectNode topology = root.putObject("modelTopology");
        if (graphModel) {
            topology.set("node", nodes);
        } else {
            ObjectNode mc = topology.putObject("model_config").put("class_name", "Model");
            mc.putObject("config").put("name", "tiny").set("layers", layers);
        }
        ObjectNode group = root.putArray("weightsManifest").addObject();
        group.putArray("paths").add("group1-shard1of2").add("group1-shard2of2");
        group.set("weights", weights);
        Files.writeString(dir.resolve("model.json"), JSON.writeValueAsString(root));
        return dir;
    }

    // ---------------------------------------------------------------- running

    /** Converts, runs on one input and returns the outputs by tap, as ONNX returns them (4-D: NCHW). */
    static Map<String, float[]> run(Path folder, ConversionOptions options, float[] input) throws Exception {
        TfjsConversion c = TfjsToOnnx.convert(TfjsModel.read(folder), options);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OrtSession session = env.createSession(c.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), concrete(c.inputShape()))) {
            try (OrtSession.Result r = session.run(Map.of(c.inputName(), x))) {
                for (int i = 0; i < c.outputNames().size(); i++) {
                    String name = c.outputNames().get(i);
                    OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
                    assertArrayEquals(concrete(c.outputShapes().get(i)), t.getInfo().getShape(),
                            "declared vs. run shape of " + name);
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    out.put(name, v);
                }
            }
        }
        return out;
    }

    private static long[] concrete(long[] shape) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                throw new AssertionError("tests give static batch sizes: " + Arrays.toString(shape));
            }
        }
        return s;
    }

    /** Compares an NCHW ONNX output with an NHWC reference, element by element. */
    static void assertNchw(NhwcReference.T ref, float[] nchw, String label) {
        assertEquals(ref.v().length, nchw.length, label + ": element count");
        for (int i = 0; i < ref.n(); i++) {
            for (int y = 0; y < ref.h(); y++) {
                for (int x = 0; x < ref.w(); x++) {
                    for (int c = 0; c < ref.c(); c++) {
                        float got = nchw[((i * ref.c() + c) * ref.h() + y) * ref.w() + x];
                        float want = ref.at(i, y, x, c);
                        assertEquals(want, got, TOL * Math.max(1, Math.abs(want)),
                                label + " at n=" + i + " h=" + y + " w=" + x + " c=" + c);
                    }
                }
            }
        }
    }

    static void assertClose(float[] want, float[] got, String label) {
        assertEquals(want.length, got.length, label + ": element count");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOL * Math.max(1, Math.abs(want[i])), label + " at " + i);
        }
    }
}
