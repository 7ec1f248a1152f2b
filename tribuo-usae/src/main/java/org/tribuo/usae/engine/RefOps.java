package org.tribuo.usae.engine;

/** Dense double-precision building blocks of the reference engine: decode, its backward, ReLU routing. */
final class RefOps {
    private RefOps() {
    }

    static double[] decodeDense(int[] idx, double[] val, int slots, int rows, double[] decoder, int d, double[] bias) {
        double[] out = new double[rows * d];
        for (int n = 0; n < rows; n++) {
            if (bias != null) {
                System.arraycopy(bias, 0, out, n * d, d);
            }
            for (int j = 0; j < slots; j++) {
                double v = val[n * slots + j];
                int row = idx[n * slots + j] * d;
                for (int c = 0; c < d; c++) {
                    out[n * d + c] += v * decoder[row + c];
                }
            }
        }
        return out;
    }

    /** Adds dL/dcodes (per slot) and dL/ddecoder for {@code out = codes . decoder}. */
    static void backDecode(int[] idx, double[] val, int slots, int rows, double[] decoder, int d,
                                   double[] gOut, double[] dVal, double[] dDecoder) {
        for (int n = 0; n < rows; n++) {
            for (int j = 0; j < slots; j++) {
                int row = idx[n * slots + j] * d;
                double v = val[n * slots + j];
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += gOut[n * d + c] * decoder[row + c];
                    dDecoder[row + c] += v * gOut[n * d + c];
                }
                dVal[n * slots + j] += s;
            }
        }
    }

    /**
     * Routes slot gradients to the pre-activations. A slot passes gradient only where its value is
     * positive: a zero value is a ReLU cut-off, a non-dead latent masked to zero (AuxK), or a
     * selected latent seen by the half-aux as {@code relu(pre) - z = 0}, whose derivative is 0.
     */
    static void scatterThroughRelu(double[] val, int[] idx, double[] dVal, int slots, int rows, int m,
                                           double[] dPre) {
        for (int n = 0; n < rows; n++) {
            for (int j = 0; j < slots; j++) {
                int col = idx[n * slots + j];
                if (val[n * slots + j] > 0) {
                    dPre[n * m + col] += dVal[n * slots + j];
                }
            }
        }
    }

    static void addColumnSums(double[] g, int rows, int d, double[] dst) {
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < d; c++) {
                dst[c] += g[n * d + c];
            }
        }
    }

    static double[] relu(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.max(0, v[i]);
        }
        return r;
    }
}
