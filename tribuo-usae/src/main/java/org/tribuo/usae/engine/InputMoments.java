package org.tribuo.usae.engine;

/**
 * First and second moments of an encoder's input batch, enough for BatchNorm's batch statistics and
 * its weight gradient without touching the {@code [rows x m]} pre-activations: with
 * {@code Xc = X - x̄} and the {@code d x d} scatter matrix {@code C = Xc^T·Xc},
 * {@code mean_n(W_j·x_n) = W_j·x̄} and {@code var_n(W_j·x_n) = W_j·C·W_j^T / rows} (biased), at
 * {@code 2·rows·d² + 2·d²·m} FLOPs instead of two passes over {@code rows x m}.
 */
final class InputMoments {
    /** {@code [d]} column means x̄. */
    final double[] mean;
    /** {@code [rows x d]} the centred input. */
    final float[] centred;
    /** {@code [m x d]} W·C. */
    final float[] weightScatter;
    private final int rows;
    private final int d;

    /**
     * @param x    {@code [rows x d]} the input.
     * @param w    {@code [m x d]} the encoder weight.
     * @param tag  scratch key prefix.
     */
    InputMoments(float[] x, int rows, int d, float[] w, int m, Gemm gemm, Scratch s, String tag) {
        this.rows = rows;
        this.d = d;
        mean = s.zeroDoubles(tag + ".xmean", d);
        SparsePool.forRange(d, (part, lo, hi) -> {
            for (int n = 0; n < rows; n++) {
                for (int col = lo; col < hi; col++) {
                    mean[col] += x[n * d + col];
                }
            }
            for (int col = lo; col < hi; col++) {
                mean[col] /= rows;
            }
        });
        float[] meanF = s.floats(tag + ".xmeanF", d);
        for (int col = 0; col < d; col++) {
            meanF[col] = (float) mean[col];
        }
        centred = s.floats(tag + ".xc", rows * d);
        SparsePool.forRange(rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                for (int col = 0; col < d; col++) {
                    centred[n * d + col] = x[n * d + col] - meanF[col];
                }
            }
        });
        float[] cov = s.floats(tag + ".cov", d * d);
        gemm.sgemm(true, false, d, d, rows, 1f, centred, centred, 0f, cov);
        weightScatter = s.floats(tag + ".wc", m * d);
        gemm.sgemm(false, false, m, d, d, 1f, w, cov, 0f, weightScatter);
    }

    /** @return {@code W_j·x̄} for latent j. */
    double projectedMean(float[] w, int j) {
        double v = 0;
        for (int col = 0; col < d; col++) {
            v += (double) w[j * d + col] * mean[col];
        }
        return v;
    }

    /** @return the biased variance over rows of {@code W_j·x_n}: {@code (W·C)_j·W_j / rows}. */
    double projectedVariance(float[] w, int j) {
        double v = 0;
        for (int col = 0; col < d; col++) {
            v += (double) weightScatter[j * d + col] * w[j * d + col];
        }
        return Math.max(0, v / rows);
    }
}
