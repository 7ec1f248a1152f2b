package org.tribuo.usae.train;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.Engine;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.Sparsity;
import org.tribuo.usae.sae.UsaeParameters;

/**
 * Sets each model's inference threshold ({@link ModelParameters#INFERENCE_THRESHOLD}) once training ends, for a
 * sparsity block that keeps one ({@link Sparsity#inferenceThreshold()}): the training rows are encoded as at
 * inference with the threshold at 0, which leaves each row's candidates, and the block turns their values into the
 * threshold ({@link Sparsity#estimateThreshold}). Up to {@link #ROWS} training rows, evenly spaced, take part.
 */
final class InferenceThresholds {
    /** The most training rows the estimate reads. */
    static final int ROWS = 1 << 16;

    private InferenceThresholds() {
    }

    /**
     * @param params    the trained parameters; their thresholds are written.
     * @param set       the activations (rows {@code [0, trainRows)} are the training rows).
     * @param trainRows the training rows.
     * @param batchSize rows encoded at once.
     * @param engine    the engine that encodes.
     */
    static void estimate(UsaeParameters params, ActivationSet set, long trainRows, int batchSize, Engine engine) {
        Architecture arch = params.architecture();
        Sparsity block = arch.sparsityBlock();
        int numModels = params.numModels();
        for (int i = 0; i < numModels; i++) {
            params.model(i).get(ModelParameters.INFERENCE_THRESHOLD)[0] = 0f;
        }
        int rows = (int) Math.min(trainRows, ROWS);
        float[][] candidates = new float[numModels][rows * arch.slots()];
        int[] count = new int[numModels];
        for (int from = 0; from < rows; from += batchSize) {
            int len = Math.min(batchSize, rows - from);
            long[] ids = new long[len];
            for (int r = 0; r < len; r++) {
                ids[r] = (from + r) * trainRows / rows;
            }
            Batch batch = set.batch(ids);
            TrainingLoop.standardize(params, batch);
            for (int i = 0; i < numModels; i++) {
                SparseCodes codes = engine.encode(params, i, batch.x()[i], len);
                for (float v : codes.values()) {
                    if (v > 0f) {
                        candidates[i][count[i]++] = v;
                    }
                }
            }
        }
        for (int i = 0; i < numModels; i++) {
            params.model(i).get(ModelParameters.INFERENCE_THRESHOLD)[0] =
                    block.estimateThreshold(candidates[i], count[i], rows);
        }
    }
}
