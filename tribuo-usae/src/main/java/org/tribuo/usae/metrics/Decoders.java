package org.tribuo.usae.metrics;

import java.util.List;

import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

/** The dictionaries the decoders actually use, for metrics that read D_k. */
public final class Decoders {
    private Decoders() {
    }

    /**
     * @param params parameters.
     * @param model model index.
     * @return a new {@code [m x d_model]} array: rows divided by (||row|| + 1e-8) for ROW_NORMALIZED,
     *     the stored (unit) rows for UNIT_NORM_PROJECTED.
     */
    public static float[] of(UsaeParameters params, int model) {
        ModelParameters p = params.model(model);
        return params.architecture().dictionary().normalization().forwardRows(p.dictionary(), p.numLatents(), p.dim());
    }

    /**
     * @param dictionary {@code [rows x dim]}.
     * @param rows rows.
     * @param dim width.
     * @return {@code [rows]} L2 norms (double).
     */
    public static double[] rowNorms(float[] dictionary, int rows, int dim) {
        if ((long) rows * dim != dictionary.length) {
            throw new IllegalArgumentException("dictionary must be [" + rows + " x " + dim + "] = " + (long) rows * dim
                    + " values, got " + dictionary.length);
        }
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                double w = dictionary[r * dim + c];
                s += w * w;
            }
            out[r] = Math.sqrt(s);
        }
        return out;
    }

    /** @param params parameters. @return per model, {@link #of} (model order). */
    static float[][] all(UsaeParameters params) {
        float[][] out = new float[params.numModels()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = of(params, i);
        }
        return out;
    }

    /**
     * Checks the arguments every per-concept accumulator takes.
     *
     * @param names       model names.
     * @param decoders    per model {@code [m x d_i]}.
     * @param dims        widths.
     * @param numConcepts m (>= 1).
     * @param threshold   τ (finite, >= 0).
     * @throws IllegalArgumentException naming the model or value that is wrong.
     */
    static void checkAccumulatorArguments(List<String> names, float[][] decoders, int[] dims, int numConcepts,
                                          double threshold) {
        if (names.isEmpty() || names.size() != decoders.length || names.size() != dims.length) {
            throw new IllegalArgumentException("Need one decoder and one width per model (>= 1 model), got "
                    + names.size() + " names, " + decoders.length + " decoders and " + dims.length + " widths");
        }
        if (numConcepts < 1) {
            throw new IllegalArgumentException("numConcepts must be >= 1, got " + numConcepts);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold τ must be finite and >= 0, got " + threshold);
        }
        for (int i = 0; i < names.size(); i++) {
            if ((long) numConcepts * dims[i] != decoders[i].length) {
                throw new IllegalArgumentException("decoder of model '" + names.get(i) + "' must be [m x d] = ["
                        + numConcepts + " x " + dims[i] + "], got " + decoders[i].length + " values");
            }
        }
    }
}
