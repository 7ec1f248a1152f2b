package org.tribuo.usae.metrics;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.data.BatchStream;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a trained USAE on rows of an activation set, in standardised units: the M x M
 * reconstruction R2 matrix (row = encoder/source i, column = decoder/target j, three formulas plus
 * MSE) and per-model sparsity (L0, dead latents). Rows are read in contiguous batches; global-TopK
 * models encode every model's rows of a token jointly, as they were trained.
 */
public final class ModelEvaluation {
    private ModelEvaluation() {
    }

    /**
     * @param model the model.
     * @param set activations with the model's models (matched by name).
     * @param from first row (inclusive).
     * @param to last row (exclusive).
     * @param batchSize rows per batch (the official R2 averages per-batch values).
     * @return the report.
     */
    public static EvaluationReport evaluate(UsaeModel model, ActivationSet set, long from, long to, int batchSize) {
        List<String> names = model.modelNames();
        int numModels = names.size();
        int[] setIndex = new int[numModels];
        int[] dims = model.parameters().dims();
        for (int i = 0; i < numModels; i++) {
            setIndex[i] = set.indexOf(names.get(i));
            if (set.dim(setIndex[i]) != dims[i]) {
                throw new IllegalArgumentException("Model '" + names.get(i) + "' has width " + dims[i]
                        + " but the activation set has " + set.dim(setIndex[i]));
            }
        }
        if (from < 0 || to > set.rows() || to - from < 1) {
            throw new IllegalArgumentException("Evaluation rows [" + from + ", " + to + ") are not inside the set's "
                    + set.rows() + " rows");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int m = model.parameters().architecture().numLatents();
        boolean joint = model.parameters().architecture().sparsity() == SparsityKind.GLOBAL_TOPK;
        R2MatrixBuilder r2 = new R2MatrixBuilder(names.toArray(String[]::new), dims);
        List<SparsityStats> sparsity = new ArrayList<>();
        for (String name : names) {
            sparsity.add(new SparsityStats(name, m));
        }
        for (long start = from; start < to; start += batchSize) {
            int rows = (int) Math.min(batchSize, to - start);
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = start + r;
            }
            Batch batch = set.batch(ids);
            BatchStream.requireFinite(set, batch);
            float[][] raw = new float[numModels][];
            for (int i = 0; i < numModels; i++) {
                raw[i] = batch.x()[setIndex[i]];
            }
            SparseCodes[] codes = joint ? model.encodeJoint(raw, rows) : null;
            for (int i = 0; i < numModels; i++) {
                SparseCodes c = joint ? codes[i] : model.encode(i, raw[i], rows);
                sparsity.get(i).add(c);
                for (int j = 0; j < numModels; j++) {
                    r2.add(i, j, model.standardize(j, raw[j]), model.decodeStandardized(c, j), rows);
                }
            }
        }
        return new EvaluationReport(to - from, r2.build(), sparsity.stream().map(SparsityStats::result).toList());
    }
}
