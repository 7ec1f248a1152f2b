package org.tribuo.usae.metrics.labels;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.ModelRows;
import org.tribuo.usae.model.UsaeModel;

import java.util.Arrays;
import java.util.Optional;

/**
 * Encodes rows {@code [from, to)} of an activation set with every stream's encoder and pools the
 * token codes per input (SPARC's samples are inputs with one global vector each; our sets may have
 * many token rows per input). Rows are read in contiguous batches as
 * {@link org.tribuo.usae.metrics.ModelEvaluation} does; global-TopK models encode jointly.
 */
public final class InputPooling {
    private InputPooling() {
    }

    /**
     * @param model     the model; its stream names must be in the set.
     * @param set       the activations.
     * @param from      first row (inclusive).
     * @param to        last row (exclusive).
     * @param batchSize rows per batch.
     * @param pooling   MAX or MEAN over an input's tokens; without a RowIndex every row is an input
     *                  whose id is its row id.
     * @return per stream (model order) the per-input codes; every stream has the same inputs.
     */
    public static InputCodes[] pool(UsaeModel model, ActivationSet set, long from, long to, int batchSize,
                                    Pooling pooling) {
        int numModels = model.modelNames().size();
        ModelRows modelRows = new ModelRows(model, set);
        if (from < 0 || to > set.rows() || to - from < 1) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not inside the set's " + set.rows() + " rows");
        }
        Optional<RowIndex> index = set.rowIndex();
        long[] rowInput = new long[Math.toIntExact(to - from)];
        for (int r = 0; r < rowInput.length; r++) {
            rowInput[r] = index.isPresent() ? index.get().inputId(from + r) : from + r;
        }
        long[] inputIds = Arrays.stream(rowInput).sorted().distinct().toArray();
        int[] tokens = new int[inputIds.length];
        int[] rowPos = new int[rowInput.length];
        for (int r = 0; r < rowInput.length; r++) {
            rowPos[r] = Arrays.binarySearch(inputIds, rowInput[r]);
            tokens[rowPos[r]]++;
        }
        int m = model.parameters().architecture().numLatents();
        PooledCodesAccumulator[] acc = new PooledCodesAccumulator[numModels];
        for (int i = 0; i < numModels; i++) {
            acc[i] = new PooledCodesAccumulator(inputIds, tokens, m, pooling);
        }
        modelRows.forEachBatch(from, to, batchSize, (start, rows, raw, codes) -> {
            int[] pos = Arrays.copyOfRange(rowPos, (int) (start - from), (int) (start - from) + rows);
            for (int i = 0; i < numModels; i++) {
                acc[i].add(codes[i], pos);
            }
        });
        InputCodes[] out = new InputCodes[numModels];
        for (int i = 0; i < numModels; i++) {
            out[i] = acc[i].build();
        }
        return out;
    }
}
