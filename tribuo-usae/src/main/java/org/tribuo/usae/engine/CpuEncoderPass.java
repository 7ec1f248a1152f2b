package org.tribuo.usae.engine;

import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;

import java.util.Map;

/**
 * One model's encoder in float32 up to the pre-activations: {@code h = (x - preBias) . W^T + b} as
 * one GEMM {@code [rows x d] . [d x m]}, then BatchNorm (batch statistics in train mode, accumulated
 * in double; running statistics in eval mode). The backward is sparse for AFFINE (only selected and
 * aux slots carry gradient) and dense for BATCHNORM (BN couples every row of a column).
 * Work arrays come from the engine's {@link Scratch}, keyed by {@code tag}.
 */
final class CpuEncoderPass {
    private final ModelParameters model;
    private final EncoderKind kind;
    private final int rows;
    private final int d;
    private final int m;
    private final String tag;
    /** {@code [rows x d]} the GEMM's input: x, or x - preBias for AFFINE. */
    private final float[] input;
    /** {@code [rows x m]} pre-activations (after BN). */
    final float[] pre;
    /** {@code [rows x m]} BN-normalised h (train mode only). */
    private float[] xhat;
    private double[] invStd;
    /** {@code [m]} batch mean and unbiased variance (BATCHNORM train mode), else null. */
    double[] batchMean;
    double[] batchVarUnbiased;

    CpuEncoderPass(ModelParameters model, EncoderKind kind, float[] x, int rows, boolean train, Gemm gemm,
                   Scratch s, String tag) {
        this.model = model;
        this.kind = kind;
        this.rows = rows;
        this.d = model.dim();
        this.m = model.numLatents();
        this.tag = tag;
        if (kind == EncoderKind.AFFINE) {
            float[] preBias = model.inputBias();
            float[] in = s.floats(tag + ".input", rows * d);
            SparsePool.forRange(rows, (part, lo, hi) -> {
                for (int n = lo; n < hi; n++) {
                    for (int c = 0; c < d; c++) {
                        in[n * d + c] = x[n * d + c] - preBias[c];
                    }
                }
            });
            input = in;
        } else {
            input = x;
        }
        pre = s.floats(tag + ".pre", rows * m);
        float[] b = model.encoderBias();
        SparsePool.forRange(rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                System.arraycopy(b, 0, pre, n * m, m);
            }
        });
        gemm.sgemm(false, true, rows, m, d, 1f, input, model.encoderWeight(), 1f, pre);
        if (kind == EncoderKind.BATCHNORM) {
            batchNorm(train, s);
        }
    }

    private void batchNorm(boolean train, Scratch s) {
        double[] mean = new double[m];
        double[] var = new double[m];
        if (train) {
            if (rows < 2) {
                throw new IllegalArgumentException("BatchNorm training needs at least 2 rows per batch, got " + rows);
            }
            // split over latents: each column sums in row order, as on one thread
            SparsePool.forRange(m, (part, lo, hi) -> {
                for (int n = 0; n < rows; n++) {
                    for (int j = lo; j < hi; j++) {
                        mean[j] += pre[n * m + j];
                    }
                }
                for (int j = lo; j < hi; j++) {
                    mean[j] /= rows;
                }
                for (int n = 0; n < rows; n++) {
                    for (int j = lo; j < hi; j++) {
                        double c = pre[n * m + j] - mean[j];
                        var[j] += c * c;
                    }
                }
            });
            batchMean = mean;
            batchVarUnbiased = new double[m];
            for (int j = 0; j < m; j++) {
                batchVarUnbiased[j] = var[j] / (rows - 1);
                var[j] /= rows;   // biased variance normalises, as PyTorch
            }
        } else {
            float[] rm = model.bnRunningMean();
            float[] rv = model.bnRunningVar();
            for (int j = 0; j < m; j++) {
                mean[j] = rm[j];
                var[j] = rv[j];
            }
        }
        invStd = new double[m];
        float[] meanF = new float[m];
        float[] invF = new float[m];
        for (int j = 0; j < m; j++) {
            invStd[j] = 1.0 / Math.sqrt(var[j] + RefEncoderPass.BN_EPS);
            meanF[j] = (float) mean[j];
            invF[j] = (float) invStd[j];
        }
        float[] gamma = model.bnWeight();
        float[] beta = model.bnBias();
        float[] xh = s.floats(tag + ".xhat", rows * m);
        xhat = xh;
        SparsePool.forRange(rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                int o = n * m;
                for (int j = 0; j < m; j++) {
                    float v = (pre[o + j] - meanF[j]) * invF[j];
                    xh[o + j] = v;
                    pre[o + j] = gamma[j] * v + beta[j];
                }
            }
        });
    }

    /**
     * Back-propagates the slot gradients (train mode) into the encoder's tensors, adding to grads.
     * A slot passes gradient only where its value is positive (ReLU; see ReferenceEngine).
     *
     * @param codes the slot codes whose {@code grad} holds dL/dvalue (main codes, then aux or null).
     * @param grads destination, tensors created on demand.
     * @param gemm for the BATCHNORM weight gradient.
     * @param s scratch.
     */
    void backward(SlotCodes[] codes, Map<String, float[]> grads, Gemm gemm, Scratch s) {
        float[] dW = grads.computeIfAbsent(ModelParameters.ENC_WEIGHT, q -> new float[m * d]);
        float[] dB = grads.computeIfAbsent(ModelParameters.ENC_BIAS, q -> new float[m]);
        if (kind == EncoderKind.AFFINE) {
            sparseAffineBackward(codes, dW, dB, grads);
            return;
        }
        float[] dh = s.floats(tag + ".dpre", rows * m);
        // each row of dh is filled from that row's slots only: split over rows
        SparsePool.forRange(rows, (part, lo, hi) -> {
            java.util.Arrays.fill(dh, lo * m, hi * m, 0f);
            for (SlotCodes c : codes) {
                if (c == null) {
                    continue;
                }
                for (int n = lo; n < hi; n++) {
                    for (int j = 0; j < c.slots; j++) {
                        int q = n * c.slots + j;
                        if (c.val[q] > 0f) {
                            dh[n * m + c.idx[q]] += c.grad[q];
                        }
                    }
                }
            }
        });
        batchNormBackward(dh, grads);
        // dW [m x d] = dh^T [m x rows] . input [rows x d]; added to whatever dW already holds
        gemm.sgemm(true, false, m, d, rows, 1f, dh, input, 1f, dW);
        SparseDecode.addColumnSums(dh, rows, m, dB);
    }

    /** BN backward in place: {@code dPre [rows x m]} becomes dL/dh; gamma and beta grads added. */
    private void batchNormBackward(float[] dPre, Map<String, float[]> grads) {
        float[] gamma = model.bnWeight();
        float[] dGamma = grads.computeIfAbsent(ModelParameters.BN_WEIGHT, q -> new float[m]);
        float[] dBeta = grads.computeIfAbsent(ModelParameters.BN_BIAS, q -> new float[m]);
        double[] sumDx = new double[m];
        double[] sumDxX = new double[m];
        double[] sumG = new double[m];
        double[] sumGX = new double[m];
        float[] xh = xhat;
        SparsePool.forRange(m, (part, lo, hi) -> {
            for (int n = 0; n < rows; n++) {
                int o = n * m;
                for (int j = lo; j < hi; j++) {
                    double g = dPre[o + j];
                    if (g != 0) {
                        sumG[j] += g;
                        sumGX[j] += g * xh[o + j];
                    }
                }
            }
        });
        float[] a = new float[m];
        float[] c = new float[m];
        float[] e = new float[m];
        for (int j = 0; j < m; j++) {
            dGamma[j] += (float) sumGX[j];
            dBeta[j] += (float) sumG[j];
            sumDx[j] = sumG[j] * gamma[j];
            sumDxX[j] = sumGX[j] * gamma[j];
            // dh = invStd/rows * (rows*gamma*g - sumDx - xhat*sumDxX) = a*g - c - e*xhat
            a[j] = (float) (invStd[j] * gamma[j]);
            c[j] = (float) (invStd[j] / rows * sumDx[j]);
            e[j] = (float) (invStd[j] / rows * sumDxX[j]);
        }
        SparsePool.forRange(rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                int o = n * m;
                for (int j = 0; j < m; j++) {
                    dPre[o + j] = a[j] * dPre[o + j] - c[j] - e[j] * xh[o + j];
                }
            }
        });
    }

    /**
     * AFFINE: dh is non-zero only on positive slots, so dW rows are scatter-added
     * ({@code rows x slots x d} instead of a {@code rows x m x d} GEMM) and the pre-bias gradient is
     * {@code -dB . W} (since {@code d(x - preBias)/dpreBias = -1} summed over rows). The scatter is
     * latent-major ({@link SlotsByLatent}): a slot-order scatter read-modify-wrote a random dW row per
     * slot and was memory-bound; grouped by latent, each row is loaded once per block of code rows.
     */
    private void sparseAffineBackward(SlotCodes[] codes, float[] dW, float[] dB, Map<String, float[]> grads) {
        // latent-major: the slots are grouped by latent (a stable counting sort, in row blocks), then each dW row
        // takes all its contributions while it is in L1; split over latent ranges, so no two threads write one
        // dW row and each row (and stepDB entry) sums in (codes, row, slot) order, as the slot-order loop did
        SlotsByLatent byLatent = SlotsByLatent.forThread();
        float[] stepDB = byLatent.zeroSums(m);
        for (SlotCodes c : codes) {
            if (c == null) {
                continue;
            }
            int block = SlotsByLatent.rowsPerBlock(c.slots);
            for (int first = 0; first < rows; first += block) {
                if (byLatent.build(c, first, Math.min(rows, first + block), m, true).entries() == 0) {
                    continue;
                }
                SparsePool.forRange(m, (part, lo, hi) -> byLatent.scatterAdd(input, d, dW, stepDB, lo, hi));
            }
        }
        float[] w = model.encoderWeight();
        float[] dPreBias = grads.computeIfAbsent(ModelParameters.INPUT_BIAS, q -> new float[d]);
        for (int lat = 0; lat < m; lat++) {
            dB[lat] += stepDB[lat];
        }
        // split over input columns: each column sums over latents in order
        SparsePool.forRange(d, (part, lo, hi) -> {
            for (int lat = 0; lat < m; lat++) {
                float g = stepDB[lat];
                if (g == 0f) {
                    continue;
                }
                int row = lat * d;
                for (int col = lo; col < hi; col++) {
                    dPreBias[col] -= g * w[row + col];
                }
            }
        });
    }
}
