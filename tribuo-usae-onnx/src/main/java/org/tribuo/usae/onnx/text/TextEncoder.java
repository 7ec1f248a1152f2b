package org.tribuo.usae.onnx.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import org.tribuo.usae.onnx.extract.Activation;
import org.tribuo.usae.onnx.extract.Backbone;

import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One text encoder on a {@link Backbone} (an ONNX Runtime session with taps), returning the hidden
 * states of one layer for every token. Layer {@code -1} is the declared {@code last_hidden_state};
 * layer {@code k} taps {@code /encoder/layer.k/output/LayerNorm/Add_1_output_0}.
 *
 * <p>The quantized exports quantize activations with one scale per tensor, so a token's values
 * depend on the other inputs of its batch (padding included); run one input per call for results
 * that depend on the input alone.
 */
public final class TextEncoder implements AutoCloseable {
    private final TextModel model;
    private final int layer;
    private final BertTokenizer tokenizer;
    private final Backbone backbone;
    private final String output;
    private final Set<String> inputs;

    private TextEncoder(TextModel model, int layer, int threads) {
        this.model = model;
        this.layer = layer;
        this.tokenizer = model.tokenizer();
        this.output = layer >= 0 ? model.layerOutput(layer) : "last_hidden_state";
        this.backbone = Backbone.fromBytes(model.stem() + ".onnx", model.onnxBytes(), List.of(output),
                Backbone.Options.builder().intraOpThreads(Math.max(0, threads)).spinning(false).build());
        this.inputs = backbone.inputNames();
    }

    /**
     * @param model   the model.
     * @param layer   0-based layer to tap, or -1 for {@code last_hidden_state}.
     * @param threads ONNX Runtime intra-op threads (0 = its default).
     * @return the open encoder.
     */
    public static TextEncoder open(TextModel model, int layer, int threads) {
        return new TextEncoder(model, layer, threads);
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
            feed.put("input_ids", OnnxTensor.createTensor(backbone.environment(), LongBuffer.wrap(ids), shape));
            if (inputs.contains("attention_mask")) {
                feed.put("attention_mask", OnnxTensor.createTensor(backbone.environment(), LongBuffer.wrap(mask), shape));
            }
            if (inputs.contains("token_type_ids")) {
                feed.put("token_type_ids", OnnxTensor.createTensor(backbone.environment(), LongBuffer.wrap(new long[b * t]), shape));
            }
            Activation a = backbone.run(feed).get(output);
            long[] s = a.shape();
            int d = model.width();
            if (s.length != 3 || s[0] != b || s[1] != t || s[2] != d) {
                throw new IllegalStateException(model.name() + ": output " + output + " has shape " + Arrays.toString(s)
                        + ", expected [" + b + ", " + t + ", " + d + "]");
            }
            float[][] res = new float[b][];
            for (int i = 0; i < b; i++) {
                int len = batch.get(i).length();
                res[i] = Arrays.copyOfRange(a.data(), i * t * d, (i * t + len) * d);
            }
            return res;
        } catch (OrtException e) {
            throw new IllegalStateException(model.name() + ": cannot create input tensors (" + e.getMessage() + ")", e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        backbone.close();
    }
}
