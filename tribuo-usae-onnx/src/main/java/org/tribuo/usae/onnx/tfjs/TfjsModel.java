package org.tribuo.usae.onnx.tfjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js model read from disk: its format, topology and (dequantised) weights.
 *
 * <p>Accepted packagings: a folder holding {@code model.json} (or nsfwjs' {@code model.min.js}), or the path of
 * that file itself; the weight shards sit next to it (raw binary, or base64 {@code <shard>.min.js} modules).
 * Accepted formats: {@code graph-model} ({@code modelTopology.node[]}, a TF GraphDef as JSON) and
 * {@code layers-model} (a Keras functional or sequential config). Nothing is executed: JavaScript files are
 * read with a literal-only parser.
 */
public final class TfjsModel {
    /** The two tfjs model formats. */
    public enum Format {
        /** A TF GraphDef: ops such as Conv2D, _FusedConv2D, Relu6 over Const weights. */
        GRAPH_MODEL,
        /** A Keras model config: layers such as Conv2D, BatchNormalization, Add over named weights. */
        LAYERS_MODEL
    }

    /** Larger topology files than this are refused before they are read (the largest real one is ~0.5 MB). */
    static final long MAX_TOPOLOGY_BYTES = 256L << 20;

    /** One node of a graph model. */
    record GraphNode(String name, String op, List<String> inputs, JsonAt at) {
        /** @return the attribute, or null. */
        JsonAt attr(String key) {
            JsonAt attrs = at.optional("attr");
            return attrs == null ? null : attrs.object().optional(key);
        }

        /** @return "op 'name'" for messages. */
        String where() {
            return op + " node '" + name + "'";
        }
    }

    private final String fileName;
    private final Format format;
    private final JsonAt topology;
    private final Map<String, TfjsTensor> weights;
    private final Map<String, GraphNode> nodes;

    private TfjsModel(String fileName, Format format, JsonAt topology, Map<String, TfjsTensor> weights,
                      Map<String, GraphNode> nodes) {
        this.fileName = fileName;
        this.format = format;
        this.topology = topology;
        this.weights = weights;
        this.nodes = nodes;
    }

    /**
     * Reads a model.
     * @param folderOrModelFile a folder with {@code model.json} or {@code model.min.js}, or that file.
     * @return the model with its weights loaded.
     * @throws TfjsFormatException naming the file and field when anything is missing, malformed or inconsistent.
     */
    public static TfjsModel read(Path folderOrModelFile) {
        Path file = folderOrModelFile;
        if (Files.isDirectory(file)) {
            file = folderOrModelFile.resolve("model.json");
            if (!Files.isRegularFile(file)) {
                file = folderOrModelFile.resolve("model.min.js");
            }
            if (!Files.isRegularFile(file)) {
                throw new TfjsFormatException(folderOrModelFile + ": holds neither model.json nor model.min.js");
            }
        } else if (!Files.isRegularFile(file)) {
            throw new TfjsFormatException(folderOrModelFile + ": no such file or folder");
        }
        String name = file.getFileName().toString();
        JsonNode root = parse(file, name);
        Path folder = file.toAbsolutePath().getParent();
        JsonAt at = JsonAt.root(name, root).object();
        JsonAt topology = at.field("modelTopology").object();
        Format format = format(at, topology);
        Map<String, TfjsTensor> weights = TfjsWeights.read(at.field("weightsManifest"), folder);
        Map<String, GraphNode> nodes = format == Format.GRAPH_MODEL ? graphNodes(topology) : Map.of();
        return new TfjsModel(name, format, format == Format.GRAPH_MODEL ? topology : layersConfig(topology),
                weights, nodes);
    }

    private static JsonNode parse(Path file, String name) {
        try {
            long size = Files.size(file);
            if (size > MAX_TOPOLOGY_BYTES) {
                throw new TfjsFormatException(name + ": " + size + " bytes is larger than the " + MAX_TOPOLOGY_BYTES
                        + " a model topology may have");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (name.endsWith(".js")) {
                return JsLiteral.parseExport(name, text);
            }
            ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TfjsFormatException(name + ": not valid JSON (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")", e);
        } catch (IOException e) {
            throw new TfjsFormatException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Format format(JsonAt root, JsonAt topology) {
        JsonAt declared = root.optional("format");
        if (declared != null) {
            return switch (declared.text()) {
                case "graph-model" -> Format.GRAPH_MODEL;
                case "layers-model" -> Format.LAYERS_MODEL;
                default -> throw declared.error("unknown format '" + declared.text()
                        + "' (graph-model and layers-model are known)");
            };
        }
        if (topology.has("node")) {
            return Format.GRAPH_MODEL;
        }
        if (topology.has("model_config") || topology.has("class_name")) {
            return Format.LAYERS_MODEL;
        }
        throw topology.error("neither a graph model (node) nor a layers model (model_config or class_name)");
    }

    /** Keras converters nest the model config under model_config; tfjs' own save writes it directly. */
    private static JsonAt layersConfig(JsonAt topology) {
        return topology.has("model_config") ? topology.field("model_config").object() : topology;
    }

    private static Map<String, GraphNode> graphNodes(JsonAt topology) {
        Map<String, GraphNode> out = new LinkedHashMap<>();
        for (JsonAt n : topology.field("node").elements()) {
            String name = n.field("name").text();
            String op = n.field("op").text();
            List<String> inputs = new ArrayList<>();
            JsonAt in = n.optional("input");
            if (in != null) {
                for (JsonAt i : in.elements()) {
                    inputs.add(i.text());
                }
            }
            if (n.has("attr")) {
                n.field("attr").object();
            }
            if (out.put(name, new GraphNode(name, op, List.copyOf(inputs), n)) != null) {
                throw n.field("name").error("duplicate node name '" + name + "'");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return the file the topology came from (model.json or model.min.js), as named in errors. */
    public String fileName() {
        return fileName;
    }

    /** @return the format. */
    public Format format() {
        return format;
    }

    /** @return the weights by name (graph models: by Const node name), dequantised to float32. */
    public Map<String, TfjsTensor> weights() {
        return weights;
    }

    /** @return the graph nodes' names (graph models) or the layers' names (layers models), in file order. */
    public List<String> nodeNames() {
        if (format == Format.GRAPH_MODEL) {
            return List.copyOf(nodes.keySet());
        }
        List<String> names = new ArrayList<>();
        for (JsonAt layer : LayersModelConverter.layers(topology)) {
            names.add(layer.field("name").text());
        }
        return names;
    }

    /** @return graph nodes by name (empty for a layers model). */
    Map<String, GraphNode> graphNodes() {
        return nodes;
    }

    /** @return the Keras model config ({@code class_name}, {@code config}) of a layers model. */
    JsonAt layersConfig() {
        return topology;
    }
}
