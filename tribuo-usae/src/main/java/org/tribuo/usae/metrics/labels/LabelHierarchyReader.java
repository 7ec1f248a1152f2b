package org.tribuo.usae.metrics.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@link LabelHierarchy} from a TSV edge list or from Open Images' hierarchy JSON. */
public final class LabelHierarchyReader {
    private LabelHierarchyReader() {
    }

    /**
     * TSV: one {@code child<TAB>parent} edge per line; blank lines and lines starting with {@code #}
     * are skipped. A child may have several parents (each is an occurrence). A single top node becomes
     * the root; several top nodes hang under {@link LabelHierarchy#SYNTHETIC_ROOT}.
     *
     * @param file the file.
     * @return the hierarchy.
     */
    public static LabelHierarchy readTsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file not found", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
        Map<String, List<String>> children = new LinkedHashMap<>();
        Map<String, Integer> edgeLine = new LinkedHashMap<>();
        Set<String> isChild = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String where = file + ":" + (i + 1);
            if (f.length != 2 || f[0].isBlank() || f[1].isBlank()) {
                throw new IllegalArgumentException(where + ": expected 'child<TAB>parent', got '" + line + "'");
            }
            String child = f[0].strip();
            String parent = f[1].strip();
            if (child.equals(parent)) {
                throw new IllegalArgumentException(where + ": label '" + child + "' is its own parent");
            }
            if (edgeLine.putIfAbsent(child + "\t" + parent, i + 1) != null) {
                throw new IllegalArgumentException(where + ": edge '" + child + "' -> '" + parent + "' repeats line "
                        + edgeLine.get(child + "\t" + parent));
            }
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
            children.computeIfAbsent(child, k -> new ArrayList<>());
            isChild.add(child);
        }
        List<String> tops = children.keySet().stream().filter(n -> !isChild.contains(n)).toList();
        if (children.isEmpty()) {
            throw new IllegalArgumentException(file + ": no edges (expected 'child<TAB>parent' lines)");
        }
        if (tops.isEmpty()) {
            throw new IllegalArgumentException(file + ": every label has a parent, so the edges form a cycle");
        }
        List<LabelHierarchy.Node> topNodes = new ArrayList<>();
        for (String t : tops) {
            topNodes.add(expand(t, children, new ArrayList<>(), file, edgeLine));
        }
        LabelHierarchy.Node root = topNodes.size() == 1 ? topNodes.get(0)
                : new LabelHierarchy.Node(LabelHierarchy.SYNTHETIC_ROOT, topNodes);
        LabelHierarchy h = new LabelHierarchy(root);
        // A cycle not reachable from any top node would be silently dropped: every label must be placed.
        for (String n : children.keySet()) {
            if (!h.contains(n)) {
                throw new IllegalArgumentException(file + ": label '" + n + "' is on a cycle not reachable from a top label");
            }
        }
        return h;
    }

    private static LabelHierarchy.Node expand(String name, Map<String, List<String>> children, List<String> path,
                                              Path file, Map<String, Integer> edgeLine) {
        if (path.contains(name)) {
            String from = path.get(path.size() - 1);
            throw new IllegalArgumentException(file + ":" + edgeLine.get(name + "\t" + from) + ": cycle "
                    + String.join(" -> ", path.subList(path.indexOf(name), path.size())) + " -> " + name);
        }
        path.add(name);
        List<LabelHierarchy.Node> kids = new ArrayList<>();
        for (String c : children.get(name)) {
            kids.add(expand(c, children, path, file, edgeLine));
        }
        path.remove(path.size() - 1);
        return new LabelHierarchy.Node(name, kids);
    }

    /**
     * Open Images' {@code bbox_labels_600_hierarchy.json}: {@code {"LabelName": .., "Subcategory": [..]}},
     * recursively; other keys (e.g. "Part") are ignored, as SPARC does.
     *
     * @param file the file.
     * @return the hierarchy.
     */
    public static LabelHierarchy readOpenImagesJson(Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + e.getLocation().getLineNr() + ": not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (json == null || json.isMissingNode()) {
            throw new IllegalArgumentException(file + ": empty file, expected {\"LabelName\": .., \"Subcategory\": [..]}");
        }
        return new LabelHierarchy(node(json, "$", file));
    }

    private static LabelHierarchy.Node node(JsonNode n, String path, Path file) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(file + ": " + path + " must be an object {\"LabelName\": ..}, got " + n.getNodeType());
        }
        JsonNode name = n.get("LabelName");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new IllegalArgumentException(file + ": " + path + ".LabelName must be a non-empty string, got " + name);
        }
        List<LabelHierarchy.Node> kids = new ArrayList<>();
        JsonNode sub = n.get("Subcategory");
        if (sub != null) {
            if (!sub.isArray()) {
                throw new IllegalArgumentException(file + ": " + path + ".Subcategory must be an array, got " + sub.getNodeType());
            }
            for (int i = 0; i < sub.size(); i++) {
                kids.add(node(sub.get(i), path + ".Subcategory[" + i + "]", file));
            }
        }
        return new LabelHierarchy.Node(name.asText(), kids);
    }
}
