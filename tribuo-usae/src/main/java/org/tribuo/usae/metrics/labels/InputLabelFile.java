package org.tribuo.usae.metrics.labels;

import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.DType;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyArray;
import org.tribuo.usae.data.RegularFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Core reader of an activation set's per-input labels, the one format every extraction writes:
 * {@code labels.npy}, int64 {@code [inputs x 1]} (row i = label id of input id i; -1 = unlabelled) and
 * {@code label_names.txt} (line i = name of label id i), both next to {@code manifest.json}. The onnx
 * module's {@code InputLabels} writes/reads the same file; core cannot depend on it.
 */
public final class InputLabelFile {
    /** Labels file name. */
    public static final String LABELS_FILE = "labels.npy";
    /** Label names file name. */
    public static final String NAMES_FILE = "label_names.txt";

    private InputLabelFile() {
    }

    /**
     * @param setFolder an activation set folder.
     * @return its labels, or empty when it has no {@code labels.npy}.
     */
    public static Optional<LabelTable> read(Path setFolder) {
        Path labels = setFolder.resolve(LABELS_FILE);
        if (!Files.exists(labels)) {
            return Optional.empty();
        }
        return Optional.of(read(labels, setFolder.resolve(NAMES_FILE)));
    }

    /**
     * @param labelsNpy int64 {@code [inputs x 1]}.
     * @param namesTxt  one name per line.
     * @return the table.
     */
    public static LabelTable read(Path labelsNpy, Path namesTxt) {
        List<String> names = readNames(namesTxt);
        try (NpyArray a = NpyArray.open(labelsNpy, Set.of(DType.INT64))) {
            if (a.cols() != 1) {
                throw new IllegalArgumentException(labelsNpy + ": expected int64 [inputs x 1], got " + a.cols() + " columns");
            }
            long[] ids = new long[Math.toIntExact(a.rows())];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = a.getLong(i, 0);
                if (ids[i] < -1 || ids[i] >= names.size()) {
                    throw new IllegalArgumentException(labelsNpy + ": row " + i + " has label id " + ids[i]
                            + ", expected -1 (unlabelled) or 0.." + (names.size() - 1) + " (" + names.size()
                            + " names in " + namesTxt + ")");
                }
            }
            return LabelTable.singleLabel(names, ids);
        }
    }

    /**
     * Writes the two files (each atomically): {@code labels.npy} (int64 {@code [inputs x 1]}) and
     * {@code label_names.txt}.
     *
     * @param setFolder    the activation set folder.
     * @param names        label names, id = position; non-blank, distinct, no line breaks.
     * @param labelPerInput per input id its label id, or -1 for unlabelled.
     */
    public static void write(Path setFolder, List<String> names, long[] labelPerInput) {
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.isBlank() || n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0 || names.indexOf(n) != i) {
                throw new IllegalArgumentException("label name " + i + " '" + n
                        + "': names must be non-blank, distinct and on one line");
            }
        }
        for (int r = 0; r < labelPerInput.length; r++) {
            if (labelPerInput[r] < -1 || labelPerInput[r] >= names.size()) {
                throw new IllegalArgumentException("input " + r + " has label id " + labelPerInput[r] + ", expected -1 or 0.."
                        + (names.size() - 1));
            }
        }
        Npy.writeInt64(setFolder.resolve(LABELS_FILE), labelPerInput, labelPerInput.length, 1);
        AtomicFiles.writeString(setFolder.resolve(NAMES_FILE), String.join("\n", names) + "\n");
    }

    /** @param namesTxt the names file. @return its lines, validated (non-blank, distinct). */
    static List<String> readNames(Path namesTxt) {
        List<String> lines;
        if (Files.exists(namesTxt)) {
            // reading a named pipe would block until something writes to it
            RegularFiles.require(namesTxt, "a regular text file with one label name per line");
        }
        try {
            lines = Files.readAllLines(namesTxt, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(namesTxt + ": file not found (needed to name the label ids)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(namesTxt + ": cannot read", e);
        }
        // A trailing empty line is the file's final newline, not a label.
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String n = lines.get(i);
            if (n.isBlank()) {
                throw new IllegalArgumentException(namesTxt + ":" + (i + 1) + ": blank label name (line i+1 names label id i)");
            }
            Integer prev = seen.put(n, i);
            if (prev != null) {
                throw new IllegalArgumentException(namesTxt + ":" + (i + 1) + ": label name '" + n + "' already on line "
                        + (prev + 1));
            }
        }
        return lines;
    }
}
