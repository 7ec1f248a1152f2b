package org.tribuo.usae.data;

import org.tribuo.provenance.DataProvenance;

import java.util.List;
import java.util.Optional;

/**
 * Aligned activations of M named models: model i is a {@code [rows x dim(i)]} float32 matrix and
 * row r of every model is the same input token.
 */
public interface ActivationSet extends AutoCloseable {
    /** @return model names in set order. */
    List<String> modelNames();

    /** @return M. */
    default int numModels() {
        return modelNames().size();
    }

    /** @return rows shared by every model. */
    long rows();

    /** @param model model position. @return its width. */
    int dim(int model);

    /**
     * @param name model name.
     * @return its position.
     * @throws IllegalArgumentException listing the known names if absent.
     */
    default int indexOf(String name) {
        int i = modelNames().indexOf(name);
        if (i < 0) {
            throw new ActivationSetException("unknown model '" + name + "', known models: " + modelNames());
        }
        return i;
    }

    /**
     * Gathers rows of one model.
     *
     * @param model  model position.
     * @param rowIds row ids.
     * @param dst    {@code [rowIds.length x dim(model)]} row-major.
     */
    void readRows(int model, long[] rowIds, float[] dst);

    /**
     * @param rowIds row ids.
     * @return every model's rows.
     */
    default Batch batch(long[] rowIds) {
        int m = numModels();
        float[][] x = new float[m][];
        int[] dims = new int[m];
        for (int i = 0; i < m; i++) {
            dims[i] = dim(i);
            x[i] = new float[Math.multiplyExact(rowIds.length, dims[i])];
            readRows(i, rowIds, x[i]);
        }
        return new Batch(rowIds.clone(), x, dims);
    }

    /**
     * Where the stored shards start, so readers can stream shard by shard ({@link BatchStream} mixes
     * rows only within a bounded window of shards).
     *
     * @return the first row of every shard followed by {@link #rows()}, {@code [shards + 1]}; a set
     *     held as one block returns {@code {0, rows()}}.
     */
    default long[] shardBoundaries() {
        return new long[]{0, rows()};
    }

    /** @return input id and token position per row, when recorded. */
    Optional<RowIndex> rowIndex();

    /** @param model model position. @return statistics over all elements, when recorded. */
    Optional<ModelStats> stats(int model);

    /**
     * @param model model position.
     * @return where the model's data lives, for error messages: its file, or "model 'x'".
     */
    String source(int model);

    /**
     * Recomputes the content hashes a stored set declares (its manifest's sha256 values) and compares
     * them with the files: a full read of every file. Sets that declare nothing have nothing to check.
     *
     * @throws ActivationSetException naming the file, the declared and the found hash.
     */
    default void verify() {
    }

    /** @return provenance of the data. */
    DataProvenance provenance();

    /** Releases files; no checked exception. */
    @Override
    void close();
}
