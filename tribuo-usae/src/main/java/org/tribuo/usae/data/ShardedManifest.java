package org.tribuo.usae.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code manifest.json} of a sharded activation set (format version {@value #FORMAT_VERSION}):
 * each model is a list of {@code .npy} shards, and shard k of every model covers the same rows.
 * <pre>{@code
 * {"format_version": 2, "rows": 960,
 *  "models": [{"name": "dino", "dim": 768, "dtype": "<f4",
 *              "shards": [{"path": "dino/part-00000-a3.npy", "first_row": 0, "rows": 480,
 *                          "bytes": 1474688, "sha256": "..."}, ...]}],
 *  "row_index": {"shards": [{"path": "row_index/part-00000-a3.npy", "first_row": 0, ...}]}}
 * }</pre>
 * Paths are relative to the folder holding the manifest; hashes cover the data section only. The
 * row index (int64 {@code [rows x 2]}: input id, token position) is optional. Listing a shard is
 * what commits it: files in the folder that the manifest does not list are never read.
 *
 * @param rows     rows of every model.
 * @param models   models in set order.
 * @param rowIndex row-index shards (same boundaries), or an empty list.
 */
public record ShardedManifest(long rows, List<ModelShards> models, List<Shard> rowIndex) {
    /** The version of the sharded layout (version 1 is the single-file {@link Manifest}). */
    public static final int FORMAT_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One shard file.
     * @param path     path relative to the set folder.
     * @param firstRow first row of the set it holds.
     * @param rows     rows it holds.
     * @param bytes    file size, header included.
     * @param sha256   hex hash of the data section.
     */
    public record Shard(String path, long firstRow, long rows, long bytes, String sha256) {
    }

    /**
     * One model.
     * @param name   model name.
     * @param dim    width.
     * @param dtype  numpy descr of every shard.
     * @param shards its shards in row order.
     */
    public record ModelShards(String name, int dim, String dtype, List<Shard> shards) {
        /** Copies the list. */
        public ModelShards {
            shards = List.copyOf(shards);
        }
    }

    /** Copies the lists and checks the layout. @throws ActivationSetException naming the problem. */
    public ShardedManifest {
        models = List.copyOf(models);
        rowIndex = rowIndex == null ? List.of() : List.copyOf(rowIndex);
        String problem = layoutProblem(rows, models, rowIndex);
        if (problem != null) {
            throw new ActivationSetException("sharded manifest: " + problem);
        }
    }

    /** @return the first row of every shard plus the total, {@code [shards + 1]}. */
    public long[] boundaries() {
        List<Shard> s = models.get(0).shards();
        long[] b = new long[s.size() + 1];
        for (int k = 0; k < s.size(); k++) {
            b[k] = s.get(k).firstRow();
        }
        b[s.size()] = rows;
        return b;
    }

    /**
     * Shards must tile {@code [0, rows)} in order, and shard k of every model (and of the row index)
     * must cover the same rows, so row r is the same token in every model.
     */
    private static String layoutProblem(long rows, List<ModelShards> models, List<Shard> rowIndex) {
        if (models.isEmpty()) {
            return "no models; expected at least one";
        }
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        ModelShards first = models.get(0);
        for (ModelShards m : models) {
            if (!names.add(m.name())) {
                return "model '" + m.name() + "' is listed twice";
            }
            String p = tiling(rows, m.shards(), "model '" + m.name() + "'", paths);
            if (p != null) {
                return p;
            }
            p = sameBoundaries(first, m.shards(), "model '" + m.name() + "'");
            if (p != null) {
                return p;
            }
        }
        if (!rowIndex.isEmpty()) {
            String p = tiling(rows, rowIndex, "row_index", paths);
            return p != null ? p : sameBoundaries(first, rowIndex, "row_index");
        }
        return null;
    }

    private static String tiling(long rows, List<Shard> shards, String who, Set<String> paths) {
        if (shards.isEmpty()) {
            return who + " has no shards; expected at least one";
        }
        long next = 0;
        for (int k = 0; k < shards.size(); k++) {
            Shard s = shards.get(k);
            if (!paths.add(s.path())) {
                return who + " shard " + k + " path '" + s.path() + "' is listed more than once";
            }
            if (s.firstRow() != next || s.rows() < 1) {
                return who + " shard " + k + " ('" + s.path() + "') covers rows [" + s.firstRow() + ", "
                        + (s.firstRow() + s.rows()) + "), expected a non-empty shard starting at row " + next;
            }
            next += s.rows();
        }
        if (next != rows) {
            return who + " shards hold " + next + " rows but the manifest says rows = " + rows;
        }
        return null;
    }

    private static String sameBoundaries(ModelShards first, List<Shard> shards, String who) {
        List<Shard> ref = first.shards();
        if (shards.size() != ref.size()) {
            return who + " has " + shards.size() + " shards but model '" + first.name() + "' has " + ref.size()
                    + "; shard boundaries must be identical across models";
        }
        for (int k = 0; k < ref.size(); k++) {
            if (shards.get(k).rows() != ref.get(k).rows()) {
                return who + " shard " + k + " ('" + shards.get(k).path() + "') holds rows [" + shards.get(k).firstRow() + ", "
                        + (shards.get(k).firstRow() + shards.get(k).rows()) + ") but model '" + first.name() + "' shard " + k
                        + " ('" + ref.get(k).path() + "') holds [" + ref.get(k).firstRow() + ", " + (ref.get(k).firstRow() + ref.get(k).rows())
                        + "); shard boundaries must be identical across models";
            }
        }
        return null;
    }

    /**
     * @param file a {@code manifest.json}.
     * @return whether it declares the sharded layout ({@code format_version} {@value #FORMAT_VERSION}).
     * @throws ActivationSetException naming the file if it is not a JSON object with a format version.
     */
    public static boolean isSharded(Path file) {
        JsonNode root = Manifest.readObject(file);
        JsonNode v = root.get("format_version");
        return v != null && v.canConvertToExactIntegral() && v.asLong() == FORMAT_VERSION;
    }


    /**
     * Parses, type-checks every field and checks the layout.
     *
     * @param file manifest path.
     * @return the manifest.
     * @throws ActivationSetException naming the file and the bad field, or the misaligned shards.
     */
    public static ShardedManifest read(Path file) {
        JsonNode root = Manifest.readObject(file);
        Manifest.Fields f = new Manifest.Fields(file);
        long version = f.integer(root, "format_version");
        if (version != FORMAT_VERSION) {
            throw new ActivationSetException(file + ": field 'format_version' is " + version + ", expected " + FORMAT_VERSION
                    + " for a sharded set");
        }
        long rows = f.integer(root, "rows");
        JsonNode ms = root.get("models");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            throw new ActivationSetException(file + ": field 'models' must be a non-empty array");
        }
        List<ModelShards> models = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String p = "models[" + i + "].";
            if (!m.isObject()) {
                throw new ActivationSetException(file + ": field 'models[" + i + "]' must be an object");
            }
            String name = f.text(m, p, "name");
            if (!ModelNames.isFileSafe(name)) {
                throw new ActivationSetException(file + ": field '" + p + "name' is '" + NpyHeader.printable(name)
                        + "', expected " + ModelNames.RULE);
            }
            long dim = f.integer(m, p + "dim", m.get("dim"));
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw new ActivationSetException(file + ": field '" + p + "dim' is " + dim + ", expected 1 to " + Integer.MAX_VALUE);
            }
            String dtype = m.has("dtype") ? f.text(m, p, "dtype") : DType.FLOAT32.descr();
            models.add(new ModelShards(name, (int) dim, dtype, shards(f, m, p)));
        }
        List<Shard> index = List.of();
        JsonNode r = root.get("row_index");
        if (r != null && !r.isNull()) {
            index = shards(f, r, "row_index.");
        }
        try {
            return new ShardedManifest(rows, models, index);
        } catch (ActivationSetException e) {
            throw new ActivationSetException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<Shard> shards(Manifest.Fields f, JsonNode parent, String prefix) {
        JsonNode arr = parent.get("shards");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new ActivationSetException(f.file() + ": field '" + prefix + "shards' must be a non-empty array");
        }
        List<Shard> out = new ArrayList<>();
        for (int k = 0; k < arr.size(); k++) {
            JsonNode s = arr.get(k);
            String p = prefix + "shards[" + k + "].";
            if (!s.isObject()) {
                throw new ActivationSetException(f.file() + ": field '" + prefix + "shards[" + k + "]' must be an object");
            }
            out.add(new Shard(f.text(s, p, "path"), f.integer(s, p + "first_row", s.get("first_row")),
                    f.integer(s, p + "rows", s.get("rows")), f.integer(s, p + "bytes", s.get("bytes")), f.text(s, p, "sha256")));
        }
        return out;
    }

    /** @return the manifest as pretty-printed UTF-8 JSON (what {@link #write} stores). */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("rows", rows);
        ArrayNode arr = root.putArray("models");
        for (ModelShards m : models) {
            ObjectNode o = arr.addObject();
            o.put("name", m.name()).put("dim", m.dim()).put("dtype", m.dtype());
            put(o.putArray("shards"), m.shards());
        }
        if (!rowIndex.isEmpty()) {
            put(root.putObject("row_index").putArray("shards"), rowIndex);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode manifest", e);
        }
    }

    private static void put(ArrayNode arr, List<Shard> shards) {
        for (Shard s : shards) {
            arr.addObject().put("path", s.path()).put("first_row", s.firstRow()).put("rows", s.rows())
                    .put("bytes", s.bytes()).put("sha256", s.sha256());
        }
    }

    /** Writes atomically (temp file, fsync, rename). @param file target path. */
    public void write(Path file) {
        AtomicFiles.write(file, toJson());
    }
}
