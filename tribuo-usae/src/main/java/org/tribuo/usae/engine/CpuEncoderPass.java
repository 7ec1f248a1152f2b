package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Encoder;
import org.tribuo.usae.sae.ModelParameters;


/**
 * One model's encoder in float32 up to the pre-activations: {@code h = (x - preBias) . W^T + b} as
 * one GEMM {@code [rows x d] . [d x m]}, then BatchNorm (batch statistics in train mode, accumulated
 * in double; running statistics in eval mode) when the encoder block normalises over the batch. The backward is
 * sparse without BatchNorm (only selected and aux slots carry gradient) and dense with it (BN couples every row of a
 * column).
 * Work arrays come from the engine's {@link Scratch}, keyed by {@code tag}.
 */
final class CpuEncoderPass {
    private final ModelParameters model;
    private final Encoder encoder;
    private final int rows;
    private final int d;
    private final int m;
    private final String tag;
    /** {@code [rows x d]} the GEMM's input: x, or x - preBias for AFFINE. */
    private final float[] input;
    /** {@code [rows x m]} pre-activations (after BN). */
    final float[] pre;
    private double[] invStd;
    /** The input's moments (BATCHNORM train mode), for the batch statistics and the backward. */
    private InputMoments moments;
    /** {@code [m]} batch mean and unbiased variance (BATCHNORM train mode), else null. */
    double[] batchMean;
    double[] batchVarUnbiased;

    CpuEncoderPass(ModelParameters model, Encoder encoder, float[] x, int rows, boolean train, Gemm gemm,
                   Scratch s, String tag) {
        this.model = model;
        this.encoder = encoder;
        this.rows = rows;
        this.d = model.dim();
        this.m = model.numLatents();
        this.tag = tag;
        if (encoder.subtractsInputBias()) {
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
        float[] gemmInput = input;
        float[] scale = null;
        float[] offset = model.encoderBias();
        if (encoder.normalizesOverBatch()) {
            float[][] affine = batchNorm(train, gemm, s);
            scale = affine[0];
            offset = affine[1];
            if (train) {
                gemmInput = moments.centred;   // the centred input keeps W·x - mean free of cancellation
            }
        }
        affineProduct(gemmInput, scale, offset, gemm, s);
    }

    /**
     * {@code pre[n, j] = scale_j · (in_n · W_j) + offset_j} as one GEMM with beta 0 (the output is never
     * read, so not staged into native memory): {@code [in | 1] · [scale ⊙ W | offset]^T}, k = d + 1. The
     * latent bias or BatchNorm's affine map rides in the extra column instead of a pass over
     * {@code [rows x m]}.
     *
     * @param in     {@code [rows x d]}.
     * @param scale  {@code [m]}, or null for 1.
     * @param offset {@code [m]}.
     */
    private void affineProduct(float[] in, float[] scale, float[] offset, Gemm gemm, Scratch s) {
        int k = d + 1;
        float[] inAug = s.floats(tag + ".inputAug", rows * k);
        SparsePool.forRange(rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                System.arraycopy(in, n * d, inAug, n * k, d);
                inAug[n * k + d] = 1f;
            }
        });
        float[] w = model.encoderWeight();
        float[] wAug = s.floats(tag + ".weightAug", m * k);
        SparsePool.forRange(m, (part, lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                float f = scale == null ? 1f : scale[j];
                for (int c = 0; c < d; c++) {
                    wAug[j * k + c] = f * w[j * d + c];
                }
                wAug[j * k + d] = offset[j];
            }
        });
        gemm.sgemm(false, true, rows, m, k, 1f, inAug, wAug, 0f, pre);
    }

    /**
     * BatchNorm of {@code h = input·W^T + b} as a per-latent affine map. Train mode takes the batch
     * statistics from the input's moments ({@link InputMoments}), not from a pass over
     * {@code [rows x m]}: {@code pre = scale·(xc·W_j) + beta} on the centred input. Eval mode uses the
     * running statistics: {@code pre = scale·(x·W_j) + beta + scale·(b - runningMean)}.
     *
     * @return {@code {scale, offset}}, each {@code [m]}, with {@code scale = gamma·invStd}.
     */
    private float[][] batchNorm(boolean train, Gemm gemm, Scratch s) {
        float[] w = model.encoderWeight();
        float[] b = model.encoderBias();
        double[] mean = new double[m];
        double[] var = new double[m];
        if (train) {
            if (rows < 2) {
                throw new IllegalArgumentException("BatchNorm training needs at least 2 rows per batch, got " + rows);
            }
            moments = new InputMoments(input, rows, d, w, m, gemm, s, tag);
            double[] unbiased = new double[m];
            InputMoments mo = moments;
            SparsePool.forRange(m, (part, lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    mean[j] = mo.projectedMean(w, j) + b[j];
                    var[j] = mo.projectedVariance(w, j);   // biased variance normalises, as PyTorch
                    unbiased[j] = var[j] * rows / (rows - 1);
                }
            });
            batchVarUnbiased = unbiased;
            batchMean = mean;
        } else {
            float[] rm = model.bnRunningMean();
            float[] rv = model.bnRunningVar();
            for (int j = 0; j < m; j++) {
                mean[j] = rm[j];
                var[j] = rv[j];
            }
        }
        invStd = new double[m];
        float[] gamma = model.bnWeight();
        float[] beta = model.bnBias();
        float[] scale = new float[m];
        float[] offset = new float[m];
        for (int j = 0; j < m; j++) {
            invStd[j] = 1.0 / Math.sqrt(var[j] + RefEncoderPass.BN_EPS);
            double sc = gamma[j] * invStd[j];
            scale[j] = (float) sc;
            offset[j] = (float) (train ? beta[j] : beta[j] + sc * (b[j] - mean[j]));
        }
        return new float[][]{scale, offset};
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
    void backward(SlotCodes[] codes, StepGradients grads, Gemm gemm, Scratch s) {
        backward(codes, grads, gemm, s, EncoderScatter.sparse(codes, m));
    }

    /**
     * {@link #backward(SlotCodes[], StepGradients, Gemm, Scratch)} with the slot gradients' {@code G^T·X} by scatter or by
     * densified blocks as chosen (the tests run both).
     */
    void backward(SlotCodes[] codes, StepGradients grads, Gemm gemm, Scratch s, boolean scatter) {
        if (encoder.normalizesOverBatch()) {
            BatchNormBackward.run(model, codes, moments, rows, invStd, scatter, grads, gemm, s, tag);
            return;
        }
        float[] dW = grads.tensor(ModelParameters.ENC_WEIGHT, m * d);
        float[] dB = grads.tensor(ModelParameters.ENC_BIAS, m);
        sparseAffineBackward(codes, dW, dB, grads, scatter, gemm, s);
    }

    /**
     * AFFINE: dh is non-zero only on positive slots, so dW rows are scatter-added
     * ({@code rows x slots x d} instead of a {@code rows x m x d} GEMM) and the pre-bias gradient is
     * {@code -dB . W} (since {@code d(x - preBias)/dpreBias = -1} summed over rows). The scatter is
     * latent-major ({@link EncoderScatter}): a slot-order scatter read-modify-wrote a random dW row per
     * slot and was memory-bound; grouped by latent, each row is loaded once per block of code rows.
     */
    private void sparseAffineBackward(SlotCodes[] codes, float[] dW, float[] dB, StepGradients grads,
                                      boolean scatter, Gemm gemm, Scratch s) {
        float[] stepDB = EncoderScatter.add(codes, input, rows, d, dW, scatter, gemm, s, tag);
        float[] w = model.encoderWeight();
        float[] dPreBias = grads.tensor(ModelParameters.INPUT_BIAS, d);
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
