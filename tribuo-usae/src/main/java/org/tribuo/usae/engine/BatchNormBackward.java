package org.tribuo.usae.engine;

import org.tribuo.usae.sae.ModelParameters;


/**
 * The BatchNorm encoder's backward without a {@code [rows x m]} dL/dh or x̂.
 *
 * <p>With {@code h = X·W^T + b}, batch mean mu, {@code x̂ = (h - mu)·invStd} and the slot gradient G
 * (ReLU-masked dL/d(BN output)), BatchNorm's backward is per latent affine in x̂:
 * {@code dh_nj = a_j·G_nj - c_j - e_j·x̂_nj}, {@code a = gamma·invStd}, {@code c = a·sum_n G_nj / N},
 * {@code e = a·sum_n G_nj·x̂_nj / N}. Since {@code sum_n dh_nj = 0} (the latent bias before
 * BatchNorm cancels) and {@code h_nj - mu_j = W_j·(x_n - x̄)}, with {@code Xc = X - x̄},
 * {@code P = G^T·Xc [m x d]} and the {@code d x d} scatter matrix {@code C = Xc^T·Xc}:
 * <pre>
 *   sum_n G_nj·x̂_nj = invStd_j · W_j·P_j                  (dL/dgamma_j)
 *   dW_j = a_j·P_j - e_j·invStd_j·(W·C)_j,   db_j = 0
 * </pre>
 * P is a scatter over the slots ({@code 2·N·slots·d}) when they are few, else a GEMM over
 * {@code [block x m]} densified row blocks; C and W·C cost {@code 2·N·d² + 2·d²·m} instead of the
 * second {@code 2·N·m·d} product a dense dL/dh needs when the slots are few.
 * {@code BatchNormBackwardTest} checks both ways against finite differences.
 */
final class BatchNormBackward {
    private BatchNormBackward() {
    }

    /**
     * Adds dL/dW, dL/db (zero), dL/dgamma and dL/dbeta to {@code grads}.
     *
     * @param model   the encoder's parameters (W {@code [m x d]}, gamma {@code [m]}).
     * @param codes   slot codes whose {@code grad} holds dL/dvalue (null entries skipped).
     * @param moments the encoder input's moments (its centred rows and W·C).
     * @param invStd  {@code [m]} 1/sqrt(biased var + eps) of the forward pass.
     * @param scatter P by scatter (true) or by densified blocks and GEMM (false).
     * @param grads   destination, tensors created on demand.
     * @param gemm    for P (blocks).
     * @param s       scratch.
     * @param tag     scratch key prefix.
     */
    static void run(ModelParameters model, SlotCodes[] codes, InputMoments moments, int rows, double[] invStd,
                    boolean scatter, StepGradients grads, Gemm gemm, Scratch s, String tag) {
        int d = model.dim();
        int m = model.numLatents();
        float[] gamma = model.bnWeight();
        float[] w = model.encoderWeight();
        float[] dW = grads.tensor(ModelParameters.ENC_WEIGHT, m * d);
        grads.tensor(ModelParameters.ENC_BIAS, m);   // stays 0: BN cancels it
        float[] dGamma = grads.tensor(ModelParameters.BN_WEIGHT, m);
        float[] dBeta = grads.tensor(ModelParameters.BN_BIAS, m);

        float[] xc = moments.centred;
        float[] p = s.zeroFloats(tag + ".p", m * d);
        EncoderScatter.add(codes, xc, rows, d, p, scatter, gemm, s, tag);
        double[] sumG = s.zeroDoubles(tag + ".sumG", m);
        for (SlotCodes c : codes) {
            if (c == null) {
                continue;
            }
            for (int q = 0; q < c.rows * c.slots; q++) {
                if (c.val[q] > 0f) {
                    sumG[c.idx[q]] += c.grad[q];
                }
            }
        }
        float[] wc = moments.weightScatter;
        SparsePool.forRange(m, (part, lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                int row = j * d;
                double wp = 0;
                for (int col = 0; col < d; col++) {
                    wp += (double) w[row + col] * p[row + col];
                }
                double sumGX = invStd[j] * wp;
                dGamma[j] += (float) sumGX;
                dBeta[j] += (float) sumG[j];
                float a = (float) (invStd[j] * gamma[j]);
                float f = (float) (invStd[j] * gamma[j] * sumGX / rows * invStd[j]);
                for (int col = 0; col < d; col++) {
                    dW[row + col] += a * p[row + col] - f * wc[row + col];
                }
            }
        });
    }
}
