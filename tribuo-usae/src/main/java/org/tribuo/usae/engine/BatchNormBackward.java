package org.tribuo.usae.engine;

import org.tribuo.usae.sae.ModelParameters;

import java.util.Arrays;
import java.util.Map;

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
     * @return whether P should be a scatter (at most 1/{@link SlotDecoder#DENSE_RATIO} of the latents
     *     per row in slots, the decoder's rule) rather than a GEMM over densified blocks.
     */
    static boolean scatter(SlotCodes[] codes, int m) {
        long slots = 0;
        for (SlotCodes c : codes) {
            slots += c == null ? 0 : c.slots;
        }
        return slots * SlotDecoder.DENSE_RATIO <= m;
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
                    boolean scatter, Map<String, float[]> grads, Gemm gemm, Scratch s, String tag) {
        int d = model.dim();
        int m = model.numLatents();
        float[] gamma = model.bnWeight();
        float[] w = model.encoderWeight();
        float[] dW = grads.computeIfAbsent(ModelParameters.ENC_WEIGHT, q -> new float[m * d]);
        grads.computeIfAbsent(ModelParameters.ENC_BIAS, q -> new float[m]);   // stays 0: BN cancels it
        float[] dGamma = grads.computeIfAbsent(ModelParameters.BN_WEIGHT, q -> new float[m]);
        float[] dBeta = grads.computeIfAbsent(ModelParameters.BN_BIAS, q -> new float[m]);

        float[] xc = moments.centred;
        float[] p = s.zeroFloats(tag + ".p", m * d);
        if (scatter) {
            EncoderScatter.add(codes, null, xc, rows, d, p, null);
        } else {
            denseP(codes, xc, rows, d, m, p, gemm, s, tag);
        }
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

    /** {@code P = G^T·Xc} by row blocks: G densified into {@code [block x m]}, then one GEMM per block. */
    private static void denseP(SlotCodes[] codes, float[] xc, int rows, int d, int m, float[] p, Gemm gemm, Scratch s,
                               String tag) {
        int block = Math.max(1, Math.min(rows, DenseSlotBlocks.BLOCK_FLOATS / m));
        float[] g = s.floats(tag + ".gblock", block * m);
        float[] xb = s.floats(tag + ".xblock", block * d);
        for (int lo = 0; lo < rows; lo += block) {
            int r0 = lo;
            int b = Math.min(block, rows - lo);
            SparsePool.forRange(b, (part, from, to) -> {
                Arrays.fill(g, from * m, to * m, 0f);
                for (SlotCodes c : codes) {
                    if (c == null) {
                        continue;
                    }
                    for (int n = from; n < to; n++) {
                        for (int j = 0; j < c.slots; j++) {
                            int q = (r0 + n) * c.slots + j;
                            if (c.val[q] > 0f) {
                                g[n * m + c.idx[q]] += c.grad[q];
                            }
                        }
                    }
                }
            });
            System.arraycopy(xc, lo * d, xb, 0, b * d);
            // a short last block uses the leading b rows of the block buffers
            gemm.sgemm(true, false, m, d, b, 1f, g, xb, 1f, p);
        }
    }
}
