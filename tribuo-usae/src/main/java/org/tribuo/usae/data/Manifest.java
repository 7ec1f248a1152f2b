package org.tribuo.usae.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional {@code manifest.json} of an activation-set folder:
 * <pre>{@code
 * {"format_version": 1, "rows": 1000,
 *  "models": [{"name": "dino", "file": "dino.npy", "dim": 768, "dtype": "<f4", "sha256": "...",
 *              "stats": {"mean": 0.1, "std": 1.2, "min": -5.0, "max": 9.0, "count": 768000}}],
 *  "row_index": {"file": "row_index.npy", "sha256": "..."}}
 * }</pre>
 * Hashes cover the .npy data section only. {@code sha256}, {@code stats} and {@code row_index}
 * are optional.
 *
 * @param formatVersion format version, currently {@value #FORMAT_VERSION}.
 * @param rows          rows of every model.
 * @param models        models in set order.
 * @param rowIndex      the row index file, or null.
 */
public record Manifest(int formatVersion, long rows, List<Entry> models, FileRef rowIndex) {
    /** File name inside a set folder. */
    public static final String FILE_NAME = "manifest.json";
    /** The version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One model.
     * @param name   model name.
     * @param file   file name relative to the folder.
     * @param dim    width.
     * @param dtype  numpy descr.
     * @param sha256 hex hash of the data section, or null.
     * @param stats  statistics, or null.
     */
    public record Entry(String name, String file, int dim, String dtype, String sha256, ModelStats stats) {
    }

    /**
     * A file with an optional hash.
     * @param file   file name relative to the folder.
     * @param sha256 hex hash of the data section, or null.
     */
    public record FileRef(String file, String sha256) {
    }

    /**
     * @param file a manifest file (either format).
     * @return its top-level JSON object.
     * @throws ActivationSetException naming the file when it is not a regular file (a FIFO would block
     *     the read), unreadable, not JSON, or not an object.
     */
    static JsonNode readObject(Path file) {
        RegularFiles.require(file, "a regular JSON file");
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ActivationSetException(file + ": malformed JSON (" + NpyHeader.printable(String.valueOf(e.getOriginalMessage())) + ")", e);
        } catch (IOException e) {
            throw new ActivationSetException(file + ": cannot read (" + e + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ActivationSetException(file + ": expected a JSON object at top level");
        }
        return root;
    }

    /**
     * Parses and checks types of every field.
     *
     * @param file manifest path.
     * @return the manifest.
     * @throws ActivationSetException naming the file and the bad field.
     */
    public static Manifest read(Path file) {
        JsonNode root = readObject(file);
        Fields f = new Fields(file);
        long version = f.integer(root, "format_version");
        if (version != FORMAT_VERSION) {
            throw new ActivationSetException(file + ": field 'format_version' is " + version + ", expected " + FORMAT_VERSION);
        }
        long rows = f.integer(root, "rows");
        JsonNode ms = root.get("models");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            throw new ActivationSetException(file + ": field 'models' must be a non-empty array");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String p = "models[" + i + "].";
            if (!m.isObject()) {
                throw new ActivationSetException(file + ": field '" + p.substring(0, p.length() - 1) + "' must be an object");
            }
            String name = f.text(m, p, "name");
            if (!ModelNames.isFileSafe(name)) {
                throw new ActivationSetException(file + ": field '" + p + "name' is '" + NpyHeader.printable(name) + "', expected "
                        + ModelNames.RULE);
            }
            String fileName = m.has("file") ? f.text(m, p, "file") : name + ".npy";
            long dim = f.integer(m, p + "dim", m.get("dim"));
            String dtype = m.has("dtype") ? f.text(m, p, "dtype") : DType.FLOAT32.descr();
            String sha = m.has("sha256") ? f.text(m, p, "sha256") : null;
            ModelStats stats = null;
            if (m.has("stats")) {
                JsonNode s = m.get("stats");
                String q = p + "stats.";
                stats = new ModelStats(f.number(s, q, "mean"), f.number(s, q, "std"), f.number(s, q, "min"),
                        f.number(s, q, "max"), f.integer(s, q + "count", s.get("count")));
            }
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw new ActivationSetException(file + ": field '" + p + "dim' is " + dim + ", expected 1 to " + Integer.MAX_VALUE);
            }
            entries.add(new Entry(name, fileName, (int) dim, dtype, sha, stats));
        }
        FileRef ri = null;
        JsonNode r = root.get("row_index");
        if (r != null && !r.isNull()) {
            ri = new FileRef(f.text(r, "row_index.", "file"), r.has("sha256") ? f.text(r, "row_index.", "sha256") : null);
        }
        return new Manifest((int) version, rows, List.copyOf(entries), ri);
    }

    /**
     * Writes atomically ({@link AtomicFiles}).
     *
     * @param file target path.
     */
    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", formatVersion);
        root.put("rows", rows);
        ArrayNode arr = root.putArray("models");
        for (Entry e : models) {
            ObjectNode m = arr.addObject();
            m.put("name", e.name()).put("file", e.file()).put("dim", e.dim()).put("dtype", e.dtype());
            if (e.sha256() != null) {
                m.put("sha256", e.sha256());
            }
            if (e.stats() != null) {
                m.putObject("stats").put("mean", e.stats().mean()).put("std", e.stats().std())
                        .put("min", e.stats().min()).put("max", e.stats().max()).put("count", e.stats().count());
            }
        }
        if (rowIndex != null) {
            ObjectNode r = root.putObject("row_index").put("file", rowIndex.file());
            if (rowIndex.sha256() != null) {
                r.put("sha256", rowIndex.sha256());
            }
        }
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
                    java.util.function.UnaryOperator.identity());
        } catch (IOException e) {
            throw new ActivationSetException(file + ": cannot write manifest (" + e + ")", e);
        }
    }

    /** Typed field access whose errors name the file and the field (shared with {@link ShardedManifest}). */
    record Fields(Path file) {
        long integer(JsonNode n, String field) {
            return integer(n, field, n.get(field));
        }

        long integer(JsonNode parent, String path, JsonNode v) {
            if (v == null || !v.canConvertToExactIntegral() || v.asLong() < 0) {
                throw new ActivationSetException(file + ": field '" + path + "' must be a non-negative integer, found "
                        + (v == null ? "nothing" : NpyHeader.printable(v.toString())));
            }
            return v.asLong();
        }

        String text(JsonNode n, String prefix, String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual() || v.asText().isEmpty()) {
                throw new ActivationSetException(file + ": field '" + prefix + field + "' must be a non-empty string, found "
                        + (v == null ? "nothing" : NpyHeader.printable(v.toString())));
            }
            return v.asText();
        }

        double number(JsonNode n, String prefix, String field) {
            JsonNode v = n == null ? null : n.get(field);
            if (v == null || !v.isNumber()) {
                throw new ActivationSetException(file + ": field '" + prefix + field + "' must be a number, found "
                        + (v == null ? "nothing" : NpyHeader.printable(v.toString())));
            }
            return v.asDouble();
        }
    }
}
