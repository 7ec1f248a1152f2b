package org.tribuo.usae.synth;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSetProvenance;
import org.tribuo.usae.data.DType;
import org.tribuo.usae.data.ModelFileProvenance;
import org.tribuo.usae.data.ModelStats;
import org.tribuo.usae.data.RowIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the generated suites' activation sets share ({@link PlantedStream}, {@link HardPlantedStream}): rows that
 * exist only as (settings, token id), a provenance that records both, and nothing to index or release.
 */
abstract class GeneratedRows implements ActivationSet {
    /** The golden-ratio increment that spreads seeds before the SplitMix64 finaliser. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final List<String> names;
    private final int[] dims;
    private final String settings;
    final long firstRow;
    final long rows;
    private ActivationSetProvenance provenance;

    /**
     * @param names    model names.
     * @param dims     model widths.
     * @param settings the generator's settings as text (recorded in the provenance).
     * @param firstRow token id of row 0.
     * @param rows     rows.
     */
    GeneratedRows(String[] names, int[] dims, String settings, long firstRow, long rows) {
        if (rows < 1 || firstRow < 0) {
            throw new IllegalArgumentException("Need rows >= 1 and firstRow >= 0, got " + rows + " and " + firstRow);
        }
        this.names = List.of(names);
        this.dims = dims.clone();
        this.settings = settings;
        this.firstRow = firstRow;
        this.rows = rows;
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
    public Optional<RowIndex> rowIndex() {
        return Optional.empty();
    }

    @Override
    public Optional<ModelStats> stats(int model) {
        return Optional.empty();
    }

    /** The folder field records the generator's settings and row range: re-creating the set re-creates the data. */
    @Override
    public synchronized ActivationSetProvenance provenance() {
        if (provenance == null) {
            List<ModelFileProvenance> mp = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                mp.add(new ModelFileProvenance(names.get(i), "", 4L * rows * dim(i), DType.FLOAT32.descr(), rows,
                        dim(i), ""));
            }
            provenance = new ActivationSetProvenance(getClass(), "generated:" + settings + " rows ["
                    + firstRow + ", " + (firstRow + rows) + ")", rows, mp);
        }
        return provenance;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
