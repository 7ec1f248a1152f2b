package org.tribuo.usae.onnx.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One text encoder in an ONNX Runtime session, returning the hidden states of one layer for every
 * token. Layer {@code -1} (the default) is {@code last_hidden_state}; layer {@code k} is tapped by
 * appending a graph output to the model bytes (protobuf messages merge on concatenation).
 */
public final class TextEncoder implements AutoCloseable {
    private final TextModel model;
    private final int layer;
    private final BertTokenizer tokenizer;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String output;
    private final Set<String> inputs;

    private TextEncoder(TextModel model, int layer, int threads) throws OrtException {
        this.model = model;
        this.layer = layer;
        this.tokenizer = model.tokenizer();
        this.env = OrtEnvironment.getEnvironment();
        byte[] bytes = model.onnxBytes();
        if (layer >= 0) {
            this.output = model.layerOutput(layer);
            bytes = withExtraOutputs(bytes, List.of(output));
        } else {
            this.output = "last_hidden_state";
        }
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        if (threads > 0) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
        }
        this.session = env.createSession(bytes, opts);
        this.inputs = session.getInputNames();
        if (!session.getOutputNames().contains(output)) {
            session.close();
            throw new IllegalStateException(model.name() + ": the ONNX graph has no output '" + output + "'");
        }
    }

    /**
     * @param model   the model.
     * @param layer   0-based layer to tap, or -1 for {@code last_hidden_state}.
     * @param threads ONNX Runtime intra-op threads (0 = its default).
     * @return the open encoder.
     */
    public static TextEncoder open(TextModel model, int layer, int threads) {
        try {
            return new TextEncoder(model, layer, threads);
        } catch (OrtException e) {
            throw new IllegalStateException(model.name() + ": cannot create the ONNX Runtime session (" + e.getMessage() + ")", e);
        }
    }

    /** @return the model. */
    public TextModel model() {
        return model;
    }

    /** @return the tapped layer, -1 = last hidden state. */
    public int layer() {
        return layer;
    }

    /** @return the model's tokenizer. */
    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /** @return hidden width. */
    public int width() {
        return model.width();
    }

    /**
     * Runs one padded batch.
     * @param batch encodings (with [CLS]/[SEP]).
     * @return per input {@code [T_i x width]} row-major hidden states of its real tokens (padding removed).
     */
    public float[][] hidden(List<BertTokenizer.Encoding> batch) {
        int b = batch.size();
        int t = batch.stream().mapToInt(BertTokenizer.Encoding::length).max().orElse(0);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        Arrays.fill(ids, tokenizer.padId());
        for (int i = 0; i < b; i++) {
            long[] e = batch.get(i).ids();
            System.arraycopy(e, 0, ids, i * t, e.length);
            Arrays.fill(mask, i * t, i * t + e.length, 1L);
        }
        long[] shape = {b, t};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            if (inputs.contains("attention_mask")) {
                feed.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            }
            if (inputs.contains("token_type_ids")) {
                feed.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * t]), shape));
            }
            try (OrtSession.Result r = session.run(feed, Set.of(output))) {
                Optional<OnnxValue> v = r.get(output);
                OnnxTensor out = (OnnxTensor) v.orElseThrow();
                long[] s = out.getInfo().getShape();
                int d = model.width();
                if (s.length != 3 || s[0] != b || s[1] != t || s[2] != d) {
                    throw new IllegalStateException(model.name() + ": output " + output + " has shape " + Arrays.toString(s)
                            + ", expected [" + b + ", " + t + ", " + d + "]");
                }
                FloatBuffer fb = out.getFloatBuffer();
                float[][] res = new float[b][];
                for (int i = 0; i < b; i++) {
                    int len = batch.get(i).length();
                    res[i] = new float[len * d];
                    fb.get(i * t * d, res[i], 0, len * d);
                }
                return res;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(model.name() + ": inference failed (" + e.getMessage() + ")", e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(model.name() + ": cannot close session", e);
        }
    }

    /** Appends {@code ModelProto.graph.output[].name} entries to a serialized model. */
    static byte[] withExtraOutputs(byte[] model, List<String> names) {
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        for (String n : names) {
            g.writeBytes(field(12, field(1, n.getBytes(StandardCharsets.UTF_8))));
        }
        byte[] tail = field(7, g.toByteArray());
        byte[] out = Arrays.copyOf(model, model.length + tail.length);
        System.arraycopy(tail, 0, out, model.length, tail.length);
        return out;
    }

    private static byte[] field(int num, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        varint(o, ((long) num << 3) | 2);
        varint(o, payload.length);
        o.writeBytes(payload);
        return o.toByteArray();
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }
}
