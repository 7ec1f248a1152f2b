package org.tribuo.usae.sae;

/**
 * The official USAE's dictionary: every forward pass divides each stored row by {@code ||row|| + 1e-8}, and the
 * gradient flows through that division (the stored rows' norms are free).
 */
public final class RowNormalizedDictionary implements DictionaryNormalization {
    /** The block (it has no settings). */
    public static final RowNormalizedDictionary INSTANCE = new RowNormalizedDictionary();
    private static final double EPS = 1e-8;

    private RowNormalizedDictionary() {
    }

    @Override
    public float[] decoder(float[] w, int m, int d, float[] out) {
        for (int j = 0; j < m; j++) {
            float inv = (float) (1.0 / (Math.sqrt(sumSquares(w, j * d, d)) + EPS));
            for (int c = 0; c < d; c++) {
                out[j * d + c] = w[j * d + c] * inv;
            }
        }
        return out;
    }

    @Override
    public float[] gradient(float[] w, int m, int d, float[] gradDecoder, float[] out) {
        for (int j = 0; j < m; j++) {
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

    @Override
    public void beforeUpdate(float[] w, float[] g, int m, int d) {
        // nothing: the norm is taken on every forward pass
    }

    @Override
    public double[] referenceDecoder(double[] w, int m, int d) {
        double[] out = new double[w.length];
        for (int j = 0; j < m; j++) {
            double norm = rowNorm(w, j, d);
            for (int c = 0; c < d; c++) {
                out[j * d + c] = w[j * d + c] / (norm + EPS);
            }
        }
        return out;
    }

    @Override
    public double[] referenceGradient(double[] w, int m, int d, double[] gradDecoder) {
        double[] out = new double[w.length];
        for (int j = 0; j < m; j++) {
            double norm = rowNorm(w, j, d);
            double dot = 0;
            for (int c = 0; c < d; c++) {
                dot += gradDecoder[j * d + c] * w[j * d + c];
            }
            double a = 1.0 / (norm + EPS);
            double b = norm > 0 ? dot / (norm * (norm + EPS) * (norm + EPS)) : 0;
            for (int c = 0; c < d; c++) {
                out[j * d + c] = gradDecoder[j * d + c] * a - w[j * d + c] * b;
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

    private static double rowNorm(double[] w, int j, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += w[j * d + c] * w[j * d + c];
        }
        return Math.sqrt(s);
    }

    @Override
    public String toString() {
        return "RowNormalizedDictionary";
    }
}
