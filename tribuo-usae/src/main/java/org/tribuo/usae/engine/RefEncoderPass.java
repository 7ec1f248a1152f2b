package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Encoder;
import org.tribuo.usae.sae.ModelParameters;

import java.util.Map;

/**
 * One model's encoder forward and backward in double precision, up to the ReLU pre-activations.
 * Train mode uses BatchNorm batch statistics (biased variance to normalise, unbiased reported for
 * running_var, as PyTorch); eval mode uses the running statistics.
 */
final class RefEncoderPass {
    static final double BN_EPS = org.tribuo.usae.sae.BatchNormEncoder.EPS;

    final RefModel model;
    final Encoder encoder;
    final int rows;
    final double[] input;   // [rows x d], the encoder's linear input (x - preBias when the encoder subtracts it)
    final double[] pre;     // [rows x m] pre-activations (after BN)
    private double[] xhat;  // [rows x m] BN-normalised
    private double[] invStd; // [m]
    final double[] batchMean;         // [m] or null
    final double[] batchVarUnbiased;  // [m] or null

    RefEncoderPass(RefModel model, Encoder encoder, double[] x, int rows, boolean train) {
        this.model = model;
        this.encoder = encoder;
        this.rows = rows;
        int d = model.d;
        int m = model.m;
        double[] w = model.get(ModelParameters.ENC_WEIGHT);
        double[] b = model.get(ModelParameters.ENC_BIAS);
        double[] preBias = encoder.subtractsInputBias() ? model.get(ModelParameters.INPUT_BIAS) : null;
        input = x.clone();
        if (preBias != null) {
            for (int n = 0; n < rows; n++) {
                for (int c = 0; c < d; c++) {
                    input[n * d + c] -= preBias[c];
                }
            }
        }
        double[] h = new double[rows * m];
        for (int n = 0; n < rows; n++) {
            for (int j = 0; j < m; j++) {
                double s = b[j];
                for (int c = 0; c < d; c++) {
                    s += input[n * d + c] * w[j * d + c];
                }
                h[n * m + j] = s;
            }
        }
        if (!encoder.normalizesOverBatch()) {
            pre = h;
            batchMean = null;
            batchVarUnbiased = null;
            return;
        }
        double[] gamma = model.get(ModelParameters.BN_WEIGHT);
        double[] beta = model.get(ModelParameters.BN_BIAS);
        double[] mean = new double[m];
        double[] var = new double[m];
        if (train) {
            if (rows < 2) {
                throw new IllegalArgumentException("BatchNorm training needs at least 2 rows per batch, got " + rows);
            }
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < m; j++) {
                    mean[j] += h[n * m + j];
                }
            }
            for (int j = 0; j < m; j++) {
                mean[j] /= rows;
            }
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < m; j++) {
                    double c = h[n * m + j] - mean[j];
                    var[j] += c * c;
                }
            }
            batchMean = mean;
            batchVarUnbiased = new double[m];
            for (int j = 0; j < m; j++) {
                batchVarUnbiased[j] = var[j] / (rows - 1);
                var[j] /= rows;
            }
        } else {
            System.arraycopy(model.runningMean, 0, mean, 0, m);
            System.arraycopy(model.runningVar, 0, var, 0, m);
            batchMean = null;
            batchVarUnbiased = null;
        }
        invStd = new double[m];
        for (int j = 0; j < m; j++) {
            invStd[j] = 1.0 / Math.sqrt(var[j] + BN_EPS);
        }
        xhat = new double[rows * m];
        pre = new double[rows * m];
        for (int n = 0; n < rows; n++) {
            for (int j = 0; j < m; j++) {
                double v = (h[n * m + j] - mean[j]) * invStd[j];
                xhat[n * m + j] = v;
                pre[n * m + j] = gamma[j] * v + beta[j];
            }
        }
    }

    /**
     * Back-propagates {@code dPre} (train mode) into the encoder's trainable tensors, adding to grads.
     * @param dPre {@code [rows x m]} gradient w.r.t. the pre-activations.
     * @param grads destination map, tensors created on demand.
     */
    void backward(double[] dPre, Map<String, double[]> grads) {
        int d = model.d;
        int m = model.m;
        double[] dh;
        if (encoder.normalizesOverBatch()) {
            double[] gamma = model.get(ModelParameters.BN_WEIGHT);
            double[] dGamma = grads.computeIfAbsent(ModelParameters.BN_WEIGHT, k -> new double[m]);
            double[] dBeta = grads.computeIfAbsent(ModelParameters.BN_BIAS, k -> new double[m]);
            double[] sumDx = new double[m];
            double[] sumDxX = new double[m];
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < m; j++) {
                    double g = dPre[n * m + j];
                    dGamma[j] += g * xhat[n * m + j];
                    dBeta[j] += g;
                    double dx = g * gamma[j];
                    sumDx[j] += dx;
                    sumDxX[j] += dx * xhat[n * m + j];
                }
            }
            dh = new double[rows * m];
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < m; j++) {
                    double dx = dPre[n * m + j] * gamma[j];
                    dh[n * m + j] = invStd[j] / rows * (rows * dx - sumDx[j] - xhat[n * m + j] * sumDxX[j]);
                }
            }
        } else {
            dh = dPre;
        }
        double[] w = model.get(ModelParameters.ENC_WEIGHT);
        double[] dW = grads.computeIfAbsent(ModelParameters.ENC_WEIGHT, k -> new double[m * d]);
        double[] dB = grads.computeIfAbsent(ModelParameters.ENC_BIAS, k -> new double[m]);
        double[] dPreBias = encoder.subtractsInputBias() && model.get(ModelParameters.INPUT_BIAS) != null
                ? grads.computeIfAbsent(ModelParameters.INPUT_BIAS, k -> new double[d]) : null;
        for (int n = 0; n < rows; n++) {
            for (int j = 0; j < m; j++) {
                double g = dh[n * m + j];
                if (g == 0) {
                    continue;
                }
                dB[j] += g;
                for (int c = 0; c < d; c++) {
                    dW[j * d + c] += g * input[n * d + c];
                    if (dPreBias != null) {
                        dPreBias[c] -= g * w[j * d + c];
                    }
                }
            }
        }
    }
}
