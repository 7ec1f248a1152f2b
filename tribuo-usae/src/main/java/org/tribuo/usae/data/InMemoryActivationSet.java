package org.tribuo.usae.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small activation set held in heap arrays: model i is {@code data[i]}, {@code [rows x dims[i]]}
 * row-major. For tests, Tribuo interop and synthetic data; rows are limited to what an array holds.
 */
public final class InMemoryActivationSet implements ActivationSet {
    private final List<String> names;
    private final int[] dims;
    private final float[][] data;
    private final int rows;
    private final RowIndex rowIndex;
    private final ModelStats[] stats;
    private ActivationSetProvenance provenance;

    /**
     * @param names model names, distinct.
     * @param dims  widths.
     * @param data  per-model {@code [rows x dims[i]]} (not copied).
     */
    public InMemoryActivationSet(List<String> names, int[] dims, float[][] data) {
        this(names, dims, data, null);
    }

    /**
     * @param names    model names, distinct.
     * @param dims     widths.
     * @param data     per-model {@code [rows x dims[i]]} (not copied).
     * @param rowIndex per-row input id and position, or null.
     */
    public InMemoryActivationSet(List<String> names, int[] dims, float[][] data, RowIndex rowIndex) {
        if (names.isEmpty()) {
            throw new ActivationSetException("in-memory activation set: no models, expected at least one");
        }
        if (names.size() != dims.length || names.size() != data.length) {
            throw new ActivationSetException("in-memory activation set: " + names.size() + " names, " + dims.length
                    + " dims and " + data.length + " data arrays, expected equal counts");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new ActivationSetException("in-memory activation set: duplicate model names " + names);
        }
        this.names = List.copyOf(names);
        this.dims = dims.clone();
        this.data = data.clone();
        int r = -1;
        for (int i = 0; i < data.length; i++) {
            if (dims[i] < 1 || data[i].length % dims[i] != 0) {
                throw new ActivationSetException("model '" + names.get(i) + "': " + data[i].length
                        + " values do not form rows of width " + dims[i]);
            }
            int ri = data[i].length / dims[i];
            if (r >= 0 && ri != r) {
                throw new ActivationSetException("row counts differ: model '" + names.get(i) + "' has " + ri
                        + " rows but model '" + names.get(0) + "' has " + r);
            }
            r = ri;
        }
        this.rows = r;
        if (rowIndex != null && rowIndex.rows() != r) {
            throw new ActivationSetException("row index has " + rowIndex.rows() + " rows, expected " + r);
        }
        this.rowIndex = rowIndex;
        this.stats = new ModelStats[data.length];
        for (int i = 0; i < data.length; i++) {
            StatsAccumulator acc = new StatsAccumulator();
            acc.add(data[i], 0, data[i].length);
            stats[i] = r > 0 ? acc.toStats() : null;
        }
    }

    /** @param model model position. @return the live {@code [rows x dim]} array. */
    public float[] data(int model) {
        return data[model];
    }

    @Override
    public List<String> modelNames() {
        return names;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int dim(int model) {
        return dims[model];
    }

    @Override
    public void readRows(int model, long[] rowIds, float[] dst) {
        int d = dims[model];
        for (int i = 0; i < rowIds.length; i++) {
            long r = rowIds[i];
            if (r < 0 || r >= rows) {
                throw new IndexOutOfBoundsException("model '" + names.get(model) + "': row " + r + " outside [0, " + rows + ")");
            }
            System.arraycopy(data[model], (int) r * d, dst, i * d, d);
        }
    }

    @Override
    public Optional<RowIndex> rowIndex() {
        return Optional.ofNullable(rowIndex);
    }

    @Override
    public Optional<ModelStats> stats(int model) {
        return Optional.ofNullable(stats[model]);
    }

    @Override
    public String source(int model) {
        return "model '" + names.get(model) + "'";
    }

    /** Hashes the float bytes on first call (the data may be large-ish). */
    @Override
    public synchronized ActivationSetProvenance provenance() {
        if (provenance == null) {
            List<ModelFileProvenance> mp = new ArrayList<>();
            for (int i = 0; i < data.length; i++) {
                mp.add(new ModelFileProvenance(names.get(i), "", 4L * data[i].length, DType.FLOAT32.descr(), rows,
                        dims[i], Sha256.ofFloats(data[i])));
            }
            provenance = new ActivationSetProvenance(InMemoryActivationSet.class, "", rows, mp);
        }
        return provenance;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
