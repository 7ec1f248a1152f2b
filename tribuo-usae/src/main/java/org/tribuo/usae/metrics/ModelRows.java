package org.tribuo.usae.metrics;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.data.BatchStream;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

import java.util.List;

/**
 * A trained USAE's view of an activation set: for each of the model's models (matched by name, widths
 * checked) the set's rows, raw, and their codes as the model was trained to produce them. Each model
 * encodes its own activations; a global-TopK model encodes every model's rows of a token jointly (its
 * latents are chosen from the summed pre-activations), a per-model TopK model each alone.
 */
public final class ModelRows {
    private final UsaeModel model;
    private final ActivationSet set;
    private final int[] setIndex;
    private final boolean joint;

    /** Receives one contiguous batch. */
    @FunctionalInterface
    public interface BatchConsumer {
        /**
         * @param start first row of the batch.
         * @param rows  rows in the batch.
         * @param raw   per model (model order) its raw rows {@code [rows x d_i]}.
         * @param codes per model its codes {@code [rows x k]}.
         */
        void accept(long start, int rows, float[][] raw, SparseCodes[] codes);
    }

    /**
     * @param model the USAE.
     * @param set   activations holding every model of the USAE.
     * @throws IllegalArgumentException naming the model when the set lacks it or its width differs.
     */
    public ModelRows(UsaeModel model, ActivationSet set) {
        this.model = model;
        this.set = set;
        List<String> names = model.modelNames();
        int[] dims = model.parameters().dims();
        setIndex = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            setIndex[i] = set.indexOf(names.get(i));
            if (set.dim(setIndex[i]) != dims[i]) {
                throw new IllegalArgumentException("Model '" + names.get(i) + "' has width " + dims[i]
                        + " but the activation set has " + set.dim(setIndex[i]));
            }
        }
        joint = model.parameters().architecture().sparsity().joint();
    }

    /** @return M. */
    public int numModels() {
        return setIndex.length;
    }

    /** @param ids row ids. @return per model (model order) its raw rows, checked finite. */
    public float[][] raw(long[] ids) {
        Batch batch = set.batch(ids);
        BatchStream.requireFinite(set, batch);
        float[][] raw = new float[setIndex.length][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = batch.x()[setIndex[i]];
        }
        return raw;
    }

    /** @param raw per model its raw rows. @param rows rows. @return per model its codes. */
    public SparseCodes[] encode(float[][] raw, int rows) {
        if (joint) {
            return model.encodeJoint(raw, rows);
        }
        SparseCodes[] out = new SparseCodes[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = model.encode(i, raw[i], rows);
        }
        return out;
    }

    /** @param ids row ids. @return per model the codes of those rows. */
    public SparseCodes[] encode(long[] ids) {
        return encode(raw(ids), ids.length);
    }

    /**
     * Reads rows {@code [from, to)} in contiguous batches and encodes them.
     *
     * @param from      first row.
     * @param to        end row (exclusive).
     * @param batchSize rows per batch (the last may be shorter).
     * @param consumer  receives each batch.
     * @throws IllegalArgumentException when the range is not inside the set or the batch size is not positive.
     */
    public void forEachBatch(long from, long to, int batchSize, BatchConsumer consumer) {
        if (from < 0 || to > set.rows() || to - from < 1) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not inside the set's " + set.rows()
                    + " rows");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        for (long start = from; start < to; start += batchSize) {
            int rows = (int) Math.min(batchSize, to - start);
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = start + r;
            }
            float[][] raw = raw(ids);
            consumer.accept(start, rows, raw, encode(raw, rows));
        }
    }
}
