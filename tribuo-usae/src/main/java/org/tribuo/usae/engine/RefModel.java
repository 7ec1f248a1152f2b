package org.tribuo.usae.engine;

import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.ModelParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A double-precision copy of one model's parameters for the reference engine. Tensors keep the
 * names and layouts of {@link ModelParameters}; absent tensors are null.
 */
public final class RefModel {
    final int d;
    final int m;
    /** Trainable tensors by name, live. */
    final LinkedHashMap<String, double[]> params = new LinkedHashMap<>();
    final double[] runningMean;
    final double[] runningVar;

    private RefModel(int d, int m, double[] runningMean, double[] runningVar) {
        this.d = d;
        this.m = m;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
    }

    /**
     * @param p float parameters.
     * @return their double copy.
     */
    public static RefModel of(ModelParameters p) {
        RefModel r = new RefModel(p.dim(), p.numLatents(), toDouble(p.bnRunningMean()), toDouble(p.bnRunningVar()));
        for (Map.Entry<String, float[]> e : p.trainable().entrySet()) {
            r.params.put(e.getKey(), toDouble(e.getValue()));
        }
        return r;
    }

    /** @return the live trainable tensors (tests perturb them for finite differences). */
    public Map<String, double[]> params() {
        return params;
    }

    double[] get(String name) {
        return params.get(name);
    }

    /** @return the decoder {@code [m x d]} the forward pass uses. */
    double[] decoder(DictionaryConstraint constraint) {
        return constraint.normalization().referenceDecoder(params.get(ModelParameters.DICTIONARY), m, d);
    }

    /**
     * Maps a gradient with respect to the decoder the forward pass used back to the raw dictionary.
     * @param constraint the dictionary constraint.
     * @param gradDecoder {@code [m x d]} gradient w.r.t. the used decoder.
     * @return gradient w.r.t. the raw dictionary parameter.
     */
    double[] dictionaryGradient(DictionaryConstraint constraint, double[] gradDecoder) {
        return constraint.normalization().referenceGradient(params.get(ModelParameters.DICTIONARY), m, d, gradDecoder);
    }

    static double[] toDouble(float[] v) {
        if (v == null) {
            return null;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
