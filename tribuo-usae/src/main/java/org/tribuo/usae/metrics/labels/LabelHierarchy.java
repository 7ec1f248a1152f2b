package org.tribuo.usae.metrics.labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A label tree with a root at depth 0, read with SPARC's rule: the tree is walked depth-first and a
 * label that occurs more than once keeps the parent and depth of its DEEPEST occurrence (Open Images
 * lists e.g. "Teddy bear" twice). {@link #collapse(String, int)} lifts a label to its ancestor at depth
 * {@code <= d}: at {@code d = maxDepth()} nothing is collapsed, at {@code d = 0} everything is the root.
 */
public final class LabelHierarchy {
    /** Name of the synthetic root of {@link #flat} and of multi-root TSV files. */
    public static final String SYNTHETIC_ROOT = "(root)";

    /** One occurrence of a label in the tree, as a file lists it. */
    public record Node(String name, List<Node> children) {
    }

    private final String root;
    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, Integer> depth = new HashMap<>();
    private final int maxDepth;

    /** @param root the tree of occurrences (a label may occur several times). */
    public LabelHierarchy(Node root) {
        this.root = root.name();
        walk(root, null, 0);
        this.maxDepth = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Iterative would be faster; real hierarchies are a few levels deep, so recursion is fine. */
    private void walk(Node n, String parentName, int d) {
        Integer seen = depth.get(n.name());
        if (seen == null || d > seen) {
            parent.put(n.name(), parentName);
            depth.put(n.name(), d);
        }
        for (Node c : n.children()) {
            walk(c, n.name(), d + 1);
        }
    }

    /** @param labels label names. @return root + every label at depth 1 (flat labels: depths 0 and 1). */
    public static LabelHierarchy flat(List<String> labels) {
        List<Node> kids = new ArrayList<>();
        for (String l : labels) {
            kids.add(new Node(l, List.of()));
        }
        return new LabelHierarchy(new Node(SYNTHETIC_ROOT, kids));
    }

    /** @return the root's name. */
    public String root() {
        return root;
    }

    /** @return the deepest depth of any label. */
    public int maxDepth() {
        return maxDepth;
    }

    /** @param label a label. @return true when the tree has it. */
    public boolean contains(String label) {
        return depth.containsKey(label);
    }

    /** @param label a label in the tree. @return its depth (deepest occurrence). */
    public int depth(String label) {
        Integer d = depth.get(label);
        if (d == null) {
            throw new IllegalArgumentException("label '" + label + "' is not in the hierarchy (root '" + root + "')");
        }
        return d;
    }

    /** @param label a label in the tree. @return its parent (of its deepest occurrence); empty for the root. */
    public Optional<String> parent(String label) {
        depth(label);
        return Optional.ofNullable(parent.get(label));
    }

    /**
     * @param label a label in the tree.
     * @param d     target depth, 0..maxDepth.
     * @return the label itself when its depth is {@code <= d}, else its ancestor at depth {@code <= d}.
     */
    public String collapse(String label, int d) {
        requireDepth(d);
        String code = label;
        int cd = depth(code);
        while (cd > d) {
            code = parent.get(code);
            cd = depth.get(code);
        }
        return code;
    }

    /**
     * The buckets of a label table at depth d.
     *
     * @param labels label names, id order.
     * @param d      depth.
     * @return per label id its bucket id, {@code [labels.size()]}; buckets are numbered in the sorted
     *         order of their names (as SPARC does), so {@code max + 1} is the bucket count.
     */
    public int[] bucketsAt(List<String> labels, int d) {
        String[] lifted = new String[labels.size()];
        for (int c = 0; c < lifted.length; c++) {
            lifted[c] = collapse(labels.get(c), d);
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(List.of(lifted)));
        int[] out = new int[lifted.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = java.util.Collections.binarySearch(sorted, lifted[c]);
        }
        return out;
    }

    /**
     * @param labels label names that must all be in the tree.
     * @param source where the hierarchy came from, for the message.
     */
    public void requireCovers(List<String> labels, String source) {
        List<String> missing = labels.stream().filter(l -> !contains(l)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + missing.size() + " of " + labels.size()
                    + " labels are not in the hierarchy, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
    }

    private void requireDepth(int d) {
        if (d < 0 || d > maxDepth) {
            throw new IllegalArgumentException("collapse depth must be in [0, " + maxDepth + "], got " + d);
        }
    }
}
