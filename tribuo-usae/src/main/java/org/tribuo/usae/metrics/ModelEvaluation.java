package org.tribuo.usae.metrics;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.model.UsaeModel;

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
        int[] dims = model.parameters().dims();
        ModelRows modelRows = new ModelRows(model, set);
        int m = model.parameters().architecture().numLatents();
        R2MatrixBuilder r2 = new R2MatrixBuilder(names.toArray(String[]::new), dims);
        List<SparsityAccumulator> sparsity = new ArrayList<>();
        for (String name : names) {
            sparsity.add(new SparsityAccumulator(name, m));
        }
        modelRows.forEachBatch(from, to, batchSize, (start, rows, raw, codes) -> {
            float[][] x = model.standardizeAll(raw);      // once per batch, not once per source
            for (int i = 0; i < numModels; i++) {
                sparsity.get(i).add(codes[i]);
                for (int j = 0; j < numModels; j++) {
                    r2.add(i, j, x[j], model.decodeStandardized(codes[i], j), rows);
                }
            }
        });
        return new EvaluationReport(to - from, r2.build(), sparsity.stream().map(SparsityAccumulator::result).toList());
    }
}
