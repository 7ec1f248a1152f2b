package org.tribuo.usae.data;

import org.tribuo.provenance.DataProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Some models of an activation set, in a chosen order, without copying: e.g. a one-model set on
 * which to train an independent SAE (an M = 1 USAE). Rows, row index and files are the parent's;
 * closing the view does not close the parent.
 */
public final class ModelSubsetView implements ActivationSet {
    private final ActivationSet parent;
    private final int[] models;
    private final List<String> names;

    /**
     * @param parent the full set.
     * @param modelNames the models to keep, in the view's order (distinct, each in the parent).
     * @throws ActivationSetException naming an unknown or repeated model.
     */
    public ModelSubsetView(ActivationSet parent, List<String> modelNames) {
        if (modelNames.isEmpty()) {
            throw new ActivationSetException("a model subset needs at least one model, the set has " + parent.modelNames());
        }
        this.parent = parent;
        this.models = new int[modelNames.size()];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < models.length; i++) {
            String name = modelNames.get(i);
            if (seen.contains(name)) {
                throw new ActivationSetException("model '" + name + "' is listed twice in the subset " + modelNames);
            }
            seen.add(name);
            models[i] = parent.indexOf(name);
        }
        this.names = List.copyOf(modelNames);
    }

    @Override
    public List<String> modelNames() {
        return names;
    }

    @Override
    public long rows() {
        return parent.rows();
    }

    @Override
    public int dim(int model) {
        return parent.dim(models[model]);
    }

    @Override
    public void readRows(int model, long[] rowIds, float[] dst) {
        parent.readRows(models[model], rowIds, dst);
    }

    @Override
    public long[] shardBoundaries() {
        return parent.shardBoundaries();
    }

    @Override
    public Optional<RowIndex> rowIndex() {
        return parent.rowIndex();
    }

    @Override
    public Optional<ModelStats> stats(int model) {
        return parent.stats(models[model]);
    }

    @Override
    public String source(int model) {
        return parent.source(models[model]);
    }

    /**
     * @return for an {@link ActivationSetProvenance} parent, the same provenance restricted to the kept
     *     models (in view order); otherwise the parent's provenance.
     */
    @Override
    public DataProvenance provenance() {
        DataProvenance p = parent.provenance();
        if (p instanceof ActivationSetProvenance asp) {
            List<ModelFileProvenance> kept = new ArrayList<>();
            for (String name : names) {
                asp.models().stream().filter(f -> f.model().equals(name)).findFirst().ifPresent(kept::add);
            }
            return new ActivationSetProvenance(parentClass(), asp.folder(), asp.rows(), kept);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private Class<? extends ActivationSet> parentClass() {
        return parent.getClass();
    }

    @Override
    public void verify() {
        parent.verify();
    }

    /** Leaves the parent open: the caller owns it. */
    @Override
    public void close() {
    }
}
