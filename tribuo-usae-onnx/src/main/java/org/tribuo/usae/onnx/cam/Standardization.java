package org.tribuo.usae.onnx.cam;

/**
 * {@code y = (x - mean(x)) / (std(x) + eps)} over a whole array (population std), and its vector-Jacobian product.
 */
final class Standardization {
    static final double EPS = 1e-4;

    final double[] y;
    private final double sigma;

    Standardization(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        sigma = Math.sqrt(var / x.length);
        y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / (sigma + EPS);
        }
    }

    /**
     * With {@code s = sigma + eps} and {@code c_i = x_i - mean = y_i s}:
     * {@code dx_j = (g_j - mean(g)) / s - c_j sum_i(g_i c_i) / (N sigma s^2)}.
     */
    double[] backward(double[] g) {
        int n = g.length;
        double s = sigma + EPS;
        double gMean = 0;
        double gc = 0;
        for (int i = 0; i < n; i++) {
            gMean += g[i];
            gc += g[i] * y[i] * s;
        }
        gMean /= n;
        double[] dx = new double[n];
        double k = sigma > 0 ? gc / (n * sigma * s * s) : 0;
        for (int j = 0; j < n; j++) {
            dx[j] = (g[j] - gMean) / s - y[j] * s * k;
        }
        return dx;
    }
}
