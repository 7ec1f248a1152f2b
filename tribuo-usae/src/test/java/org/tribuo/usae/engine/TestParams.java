package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random parameters and data for engine tests. */
public final class TestParams {
    private TestParams() {
    }

    /**
     * @return parameters named model0, model1, ... with Gaussian tensors, BatchNorm weights near 1 and running
     *     statistics away from their starting values.
     */
    public static UsaeParameters random(Architecture arch, int[] dims, long seed) {
        Random rng = new Random(seed);
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            ModelParameters p = new ModelParameters("model" + i, dims[i], arch);
            for (Map.Entry<String, float[]> e : p.trainable().entrySet()) {
                float[] v = e.getValue();
                boolean gamma = e.getKey().equals(ModelParameters.BN_WEIGHT);
                for (int q = 0; q < v.length; q++) {
                    v[q] = gamma ? (float) (1 + 0.2 * rng.nextGaussian()) : (float) (0.5 * rng.nextGaussian());
                }
            }
            if (p.bnRunningMean() != null) {
                for (int q = 0; q < p.numLatents(); q++) {
                    p.bnRunningMean()[q] = (float) (0.3 * rng.nextGaussian());
                    p.bnRunningVar()[q] = (float) (0.5 + rng.nextDouble());
                }
            }
            models.add(p);
        }
        return new UsaeParameters(arch, models);
    }

    static double[][] data(int[] dims, int rows, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[dims.length][];
        for (int i = 0; i < dims.length; i++) {
            x[i] = new double[rows * dims[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = rng.nextGaussian();
            }
        }
        return x;
    }

    static float[][] toFloat(double[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = RefModel.toFloat(x[i]);
        }
        return out;
    }
}
