package org.tribuo.usae.onnx.cam;

/**
 * Maps decorrelated colour channels to RGB with the square root of ImageNet's colour covariance, so that
 * independent phases give natural colour statistics (Olah et al., Lucid; MACO recorrelates the same way).
 *
 * <p>Values: the 3x3 {@code color_correlation_svd_sqrt} published with Lucid,
 * {@code [[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]]}, divided by its largest column norm.
 * MACO's {@code common.py} has a matrix for the same role; its entries were not available here to compare.
 */
public final class ColorRecorrelation {
    private static final double[][] SQRT_COVARIANCE = {
            {0.26, 0.09, 0.02},
            {0.27, 0.00, -0.05},
            {0.27, -0.09, 0.03}};

    /** {@code rgb[i] = sum_j MATRIX[i][j] * decorrelated[j]}. */
    static final double[][] MATRIX = normalised();

    private ColorRecorrelation() {
    }

    private static double[][] normalised() {
        double max = 0;
        for (int j = 0; j < 3; j++) {
            double n = 0;
            for (int i = 0; i < 3; i++) {
                n += SQRT_COVARIANCE[i][j] * SQRT_COVARIANCE[i][j];
            }
            max = Math.max(max, Math.sqrt(n));
        }
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[i][j] = SQRT_COVARIANCE[i][j] / max;
            }
        }
        return m;
    }

    /** @param in {@code [3 x n]} decorrelated. @return {@code [3 x n]} RGB. */
    static double[] apply(double[] in, int n) {
        double[] out = new double[3 * n];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < 3; i++) {
                out[i * n + p] = MATRIX[i][0] * in[p] + MATRIX[i][1] * in[n + p] + MATRIX[i][2] * in[2 * n + p];
            }
        }
        return out;
    }

    /** The adjoint: {@code [3 x n]} RGB gradient to the decorrelated gradient. */
    static double[] adjoint(double[] g, int n) {
        double[] out = new double[3 * n];
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < 3; j++) {
                out[j * n + p] = MATRIX[0][j] * g[p] + MATRIX[1][j] * g[n + p] + MATRIX[2][j] * g[2 * n + p];
            }
        }
        return out;
    }
}
