package org.tribuo.usae.metrics.labels;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Multi-label table of inputs: input id {@code i} (the ids a {@link org.tribuo.usae.data.RowIndex}
 * records) carries the label ids {@link #labelsOf(long)}; label id {@code c} is called
 * {@link #name(int)}. An input with no label is unlabelled and is left out of every label metric.
 */
public final class LabelTable {
    private final List<String> names;
    private final int[][] labels;

    private LabelTable(List<String> names, int[][] labels) {
        this.names = names;
        this.labels = labels;
    }

    /**
     * @param names          label names, {@code [numLabels]}, distinct and non-blank.
     * @param labelsPerInput per input id, its label ids (any order, duplicates ignored; empty = unlabelled).
     * @return the table.
     */
    public static LabelTable of(List<String> names, int[][] labelsPerInput) {
        List<String> n = List.copyOf(names);
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < n.size(); c++) {
            if (n.get(c).isBlank()) {
                throw new IllegalArgumentException("label name " + c + " is blank");
            }
            if (!seen.add(n.get(c))) {
                throw new IllegalArgumentException("label name '" + n.get(c) + "' appears twice (ids must name distinct labels)");
            }
        }
        int[][] l = new int[labelsPerInput.length][];
        for (int i = 0; i < l.length; i++) {
            int[] ids = Arrays.stream(labelsPerInput[i]).distinct().sorted().toArray();
            for (int c : ids) {
                if (c < 0 || c >= n.size()) {
                    throw new IllegalArgumentException("input " + i + " has label id " + c + ", expected 0.."
                            + (n.size() - 1) + " (" + n.size() + " label names)");
                }
            }
            l[i] = ids;
        }
        return new LabelTable(n, l);
    }

    /**
     * @param names         label names.
     * @param labelPerInput per input id, its single label id, or -1 when unlabelled.
     * @return the table.
     */
    public static LabelTable singleLabel(List<String> names, long[] labelPerInput) {
        int[][] l = new int[labelPerInput.length][];
        for (int i = 0; i < l.length; i++) {
            long c = labelPerInput[i];
            if (c < -1 || c >= names.size()) {
                throw new IllegalArgumentException("input " + i + " has label id " + c + ", expected -1 (unlabelled) or 0.."
                        + (names.size() - 1));
            }
            l[i] = c < 0 ? new int[0] : new int[]{(int) c};
        }
        return of(names, l);
    }

    /** @return number of input ids covered (ids 0..inputs-1). */
    public int inputs() {
        return labels.length;
    }

    /** @return number of labels. */
    public int numLabels() {
        return names.size();
    }

    /** @return label names, id order. */
    public List<String> names() {
        return names;
    }

    /** @param label label id. @return its name. */
    public String name(int label) {
        return names.get(label);
    }

    /**
     * @param inputId an input id.
     * @return its sorted label ids (do not modify); empty when unlabelled.
     * @throws IllegalArgumentException when the id is outside the table.
     */
    public int[] labelsOf(long inputId) {
        if (inputId < 0 || inputId >= labels.length) {
            throw new IllegalArgumentException("input id " + inputId + " is outside the label table (" + labels.length
                    + " inputs): the labels do not belong to this activation set");
        }
        return labels[(int) inputId];
    }

    /** @param inputId an input id. @return true when it has at least one label. */
    public boolean isLabelled(long inputId) {
        return labelsOf(inputId).length > 0;
    }

    /** @param inputId an input id. @param label a label id. @return true when the input carries it. */
    public boolean has(long inputId, int label) {
        return Arrays.binarySearch(labelsOf(inputId), label) >= 0;
    }

    /** @return a copy whose label ids are randomly permuted across inputs (a shuffled-label control). */
    public LabelTable shuffled(long seed) {
        int[][] l = labels.clone();
        java.util.Random rng = new java.util.Random(seed);
        for (int i = l.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int[] t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        return new LabelTable(names, l);
    }
}
