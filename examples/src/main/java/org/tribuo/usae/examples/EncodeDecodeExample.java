package org.tribuo.usae.examples;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

import java.nio.file.Path;

/**
 * Encodes one model's activations into sparse concept codes, decodes them into every model (cross-reconstruction:
 * one network's concepts predict another network's activations of the same tokens), and prints how much of each
 * target's variance the reconstruction explains and the most active concepts of the first token.
 *
 * <p>{@code ./usae example encode <model.usae> <activations folder>}
 */
public final class EncodeDecodeExample {
    private EncodeDecodeExample() {
    }

    /** @param args the model file and an activation set of the same models. */
    public static void main(String[] args) throws Exception {
        UsaeModel model = ModelFiles.load(Path.of(args[0]));
        try (ActivationSet set = ActivationSets.open(Path.of(args[1]))) {
            int rows = (int) Math.min(500, set.rows());
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = set.rows() - rows + r;          // the last rows
            }
            int source = 0;
            float[] x = new float[rows * set.dim(source)];
            set.readRows(source, ids, x);
            SparseCodes codes = model.encode(source, x, rows);   // [rows x k] values and latent ids
            System.out.print("Token 0 of " + model.modelNames().get(source) + ": concepts");
            for (int s = 0; s < codes.k(); s++) {
                System.out.printf(" %d (%.2f)", codes.indices()[s], codes.values()[s]);
            }
            System.out.println();
            for (int target = 0; target < model.parameters().numModels(); target++) {
                float[] truth = new float[rows * set.dim(target)];
                set.readRows(target, ids, truth);
                float[] recon = model.decode(codes, target);     // raw units of the target model
                System.out.printf("%s -> %s: explained variance %.3f%n", model.modelNames().get(source),
                        model.modelNames().get(target), explained(truth, recon, set.dim(target)));
            }
        }
    }

    /** 1 - SSE / SST with per-dimension means (the variance-weighted R2). */
    static double explained(float[] truth, float[] recon, int d) {
        int rows = truth.length / d;
        double[] mean = new double[d];
        for (int q = 0; q < truth.length; q++) {
            mean[q % d] += truth[q] / rows;
        }
        double sse = 0;
        double sst = 0;
        for (int q = 0; q < truth.length; q++) {
            sse += Math.pow(truth[q] - recon[q], 2);
            sst += Math.pow(truth[q] - mean[q % d], 2);
        }
        return 1 - sse / sst;
    }
}
