package org.tribuo.usae.interop;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import of official USAE checkpoints needs from the official run's {@code config.yaml}
 * (YorkUCVIL/UniversalSAE: {@code global.standardize}, {@code sae_params.top_k}, {@code sae_params.encoder_module},
 * {@code sae_params.dictionary_normalization}, and per model in {@code model_zoo} its {@code checkpoint_path},
 * {@code model_mean} and {@code model_std}). The YAML is read as data (Jackson's YAML parser builds no objects).
 *
 * @param checkpoints     per model, its checkpoint, in the config's order.
 * @param k               {@code sae_params.top_k}.
 * @param standardization per model, its mean and std ({@link DictionaryImport.Standardization#NONE} when
 *                        {@code global.standardize} is false).
 */
public record OfficialUsaeConfig(List<DictionaryImport.Source> checkpoints, int k,
                                 Map<String, DictionaryImport.Standardization> standardization) {
    /** The largest config read. */
    static final long MAX_BYTES = 1 << 20;

    /**
     * @param file the official {@code config.yaml}. A relative {@code checkpoint_path} is looked up beside the config,
     *             then in the working directory (where the official scripts run).
     * @return the config.
     * @throws IllegalArgumentException naming the file and field at fault.
     */
    public static OfficialUsaeConfig read(Path file) {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES + " bytes; not a USAE config");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        String where = file.toString();
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " is not a YAML mapping");
        }
        JsonNode sae = object(root, "sae_params", where);
        int k = ArchitectureJson.integer(sae, "top_k", where + ": sae_params");
        String module = Json.text(sae, "encoder_module", "mlp_bn_1", where + ": sae_params");
        if (!module.equals("mlp_bn_1")) {
            throw new IllegalArgumentException(where + ": sae_params.encoder_module is '" + module + "'; only the paper's "
                    + "mlp_bn_1 (Linear then BatchNorm1d) is read");
        }
        String norm = Json.text(sae, "dictionary_normalization", "l2", where + ": sae_params");
        if (!norm.equals("l2")) {
            throw new IllegalArgumentException(where + ": sae_params.dictionary_normalization is '" + norm
                    + "'; only l2 (rows divided by their norm) is read");
        }
        JsonNode global = root.get("global");
        boolean standardize = global != null && global.isObject() && global.has("standardize")
                ? ArchitectureJson.bool(global, "standardize", where + ": global") : true;
        JsonNode zoo = object(root, "model_zoo", where);
        List<DictionaryImport.Source> sources = new ArrayList<>();
        Map<String, DictionaryImport.Standardization> std = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = zoo.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String at = where + ": model_zoo." + name;
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException(at + " must be a mapping");
            }
            sources.add(new DictionaryImport.Source(name, locate(file, Json.text(e.getValue(), "checkpoint_path", at), at)));
            std.put(name, standardize ? new DictionaryImport.Standardization(Json.number(e.getValue(), "model_mean", at),
                    Json.number(e.getValue(), "model_std", at)) : DictionaryImport.Standardization.NONE);
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(where + ": model_zoo names no model");
        }
        return new OfficialUsaeConfig(List.copyOf(sources), k, std);
    }

    private static JsonNode object(JsonNode root, String field, String where) {
        JsonNode v = root.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a mapping");
        }
        return v;
    }

    private static Path locate(Path config, String path, String where) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = config.toAbsolutePath().getParent();
        Path beside = dir.resolve(p);
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        Path cwd = Path.of("").toAbsolutePath().resolve(p);
        if (Files.isRegularFile(cwd)) {
            return cwd;
        }
        throw new IllegalArgumentException(where + ".checkpoint_path '" + path + "' is neither at " + beside + " nor at " + cwd);
    }

    /** @return the model. */
    public org.tribuo.usae.model.UsaeModel load() {
        return DictionaryImport.officialUsae(checkpoints, k, standardization);
    }
}
