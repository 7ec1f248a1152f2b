package org.tribuo.usae.engine;

import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.ModelParameters;

/**
 * The decoder a step uses from the raw dictionary ({@code W / (||W_row|| + 1e-8)} or W itself when
 * rows are kept unit by projection), and the chain rule back to the raw dictionary, as {@link RefModel}.
 */
final class DictionaryNorm {
    private static final double EPS = 1e-8;

    private DictionaryNorm() {
    }

    /**
     * @param p model parameters.
     * @param constraint the dictionary constraint.
     * @param out {@code [m x d]} scratch for the normalised rows (unused when projected).
     * @return the {@code [m x d]} decoder: {@code out}, or the live dictionary when projected.
     */
    static float[] decoder(ModelParameters p, DictionaryConstraint constraint, float[] out) {
        float[] w = p.dictionary();
        if (constraint == DictionaryConstraint.UNIT_NORM_PROJECTED) {
            return w;
        }
        int d = p.dim();
        for (int j = 0; j < p.numLatents(); j++) {
            float inv = (float) (1.0 / (Math.sqrt(sumSquares(w, j * d, d)) + EPS));
            for (int c = 0; c < d; c++) {
                out[j * d + c] = w[j * d + c] * inv;
            }
        }
        return out;
    }

    /**
     * @param p model parameters.
     * @param constraint the dictionary constraint.
     * @param gradDecoder {@code [m x d]} dL/ddecoder.
     * @return a new {@code [m x d]} dL/ddictionary.
     */
    static float[] gradient(ModelParameters p, DictionaryConstraint constraint, float[] gradDecoder) {
        return gradient(p, constraint, gradDecoder, new float[gradDecoder.length]);
    }

    /** {@link #gradient(ModelParameters, DictionaryConstraint, float[])} into {@code out} (overwritten). */
    static float[] gradient(ModelParameters p, DictionaryConstraint constraint, float[] gradDecoder, float[] out) {
        if (constraint == DictionaryConstraint.UNIT_NORM_PROJECTED) {
            System.arraycopy(gradDecoder, 0, out, 0, gradDecoder.length);
            return out;
        }
        float[] w = p.dictionary();
        int d = p.dim();
        for (int j = 0; j < p.numLatents(); j++) {
            int o = j * d;
            double norm = Math.sqrt(sumSquares(w, o, d));
            double dot = 0;
            for (int c = 0; c < d; c++) {
                dot += (double) gradDecoder[o + c] * w[o + c];
            }
            // d/dW of W/(|W|+eps): G/(n+eps) - W (G.W) / (n (n+eps)^2)
            float a = (float) (1.0 / (norm + EPS));
            float b = (float) (norm > 0 ? dot / (norm * (norm + EPS) * (norm + EPS)) : 0);
            for (int c = 0; c < d; c++) {
                out[o + c] = gradDecoder[o + c] * a - w[o + c] * b;
            }
        }
        return out;
    }

    private static double sumSquares(float[] w, int off, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += (double) w[off + c] * w[off + c];
        }
        return s;
    }
}
