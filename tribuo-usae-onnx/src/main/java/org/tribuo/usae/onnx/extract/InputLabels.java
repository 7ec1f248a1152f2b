package org.tribuo.usae.onnx.extract;

import org.tribuo.usae.data.DType;
import org.tribuo.usae.data.NpyArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The optional per-input label file of an activation set: {@code labels.npy}, int64
 * {@code [inputs x 1]}, row {@code i} = label of input id {@code i} (join with {@code row_index.npy}
 * to label rows). It sits next to {@code manifest.json} and is not listed in it (format version 1 is
 * unchanged); readers that do not know it ignore it.
 */
public final class InputLabels {
    /** File name. */
    public static final String FILE = "labels.npy";
    /** File stem, reserved: no model may be called this. */
    public static final String STEM = "labels";

    private InputLabels() {
    }

    /**
     * @param setFolder the activation set folder.
     * @return the labels, or empty when the set has none.
     */
    public static Optional<long[]> read(Path setFolder) {
        Path f = setFolder.resolve(FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try (NpyArray a = NpyArray.open(f, Set.of(DType.INT64))) {
            if (a.cols() != 1) {
                throw new IllegalArgumentException(f + ": expected [inputs x 1], got " + a.cols() + " columns");
            }
            long[] out = new long[Math.toIntExact(a.rows())];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.getLong(i, 0);
            }
            return Optional.of(out);
        }
    }
}
