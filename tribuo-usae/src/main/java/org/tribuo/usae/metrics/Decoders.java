package org.tribuo.usae.metrics;

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
}
