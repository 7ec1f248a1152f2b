package org.tribuo.usae.interop;

/**
 * SAELens's inference forward, written here from its source (sae_lens/saes/topk_sae.py and jumprelu_sae.py at
 * v6.18) in double precision, to check what an export means to SAELens ({@link SaeLensExportCheck}, the tests): {@code sae_in = x - b_dec *
 * apply_b_dec_to_input}; {@code pre = sae_in @ W_enc + b_enc}; TopK: the k largest of pre, then ReLU (others 0);
 * JumpReLU: {@code relu(pre) * (pre > threshold)}; {@code x_hat = z @ W_dec + b_dec}.
 */
public final class SaeLensForward {
    private SaeLensForward() {
    }

    /**
     * @param w         the SAE's tensors.
     * @param applyBDec {@code apply_b_dec_to_input}.
     * @param k         TopK's k (unused with a JumpReLU threshold).
     * @param x         {@code [rows x d_in]} raw activations.
     * @param rows      rows.
     * @return dense codes {@code [rows x d_sae]}.
     */
    public static double[] encode(SaeLensWeights w, boolean applyBDec, int k, float[] x, int rows) {
        return encode(w, applyBDec, false, k, x, rows);
    }

    /** With {@code rescale_acts_by_decoder_norm}: pre-activations times each latent's decoder norm. */
    public static double[] encode(SaeLensWeights w, boolean applyBDec, boolean rescale, int k, float[] x, int rows) {
        int d = w.dIn();
        int m = w.dSae();
        double[] z = new double[rows * m];
        double[] pre = new double[m];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                double s = w.bEnc()[j];
                for (int c = 0; c < d; c++) {
                    double in = x[r * d + c] - (applyBDec ? w.bDec()[c] : 0.0);
                    s += in * w.wEnc()[c * m + j];
                }
                pre[j] = rescale ? s * decoderNorm(w, j) : s;
            }
            if (w.threshold() != null) {
                for (int j = 0; j < m; j++) {
                    z[r * m + j] = pre[j] > w.threshold()[j] ? Math.max(0, pre[j]) : 0;
                }
            } else {
                boolean[] taken = new boolean[m];
                for (int t = 0; t < k; t++) {
                    int best = -1;
                    for (int j = 0; j < m; j++) {
                        if (!taken[j] && (best < 0 || pre[j] > pre[best])) {
                            best = j;
                        }
                    }
                    taken[best] = true;
                    z[r * m + best] = Math.max(0, pre[best]);
                }
            }
        }
        return z;
    }

    /** @return the L2 norm of {@code W_dec}'s row j. */
    public static double decoderNorm(SaeLensWeights w, int j) {
        double s = 0;
        for (int c = 0; c < w.dIn(); c++) {
            s += (double) w.wDec()[j * w.dIn() + c] * w.wDec()[j * w.dIn() + c];
        }
        return Math.sqrt(s);
    }

    /** @param w the SAE. @param z {@code [rows x d_sae]} dense codes. @param rows rows. @return {@code [rows x d_in]}. */
    public static double[] decode(SaeLensWeights w, double[] z, int rows) {
        return decode(w, z, false, rows);
    }

    /** With {@code rescale_acts_by_decoder_norm}: codes divided by each latent's decoder norm first. */
    public static double[] decode(SaeLensWeights w, double[] z, boolean rescale, int rows) {
        int d = w.dIn();
        int m = w.dSae();
        double[] out = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < d; c++) {
                double s = w.bDec()[c];
                for (int j = 0; j < m; j++) {
                    s += (rescale ? z[r * m + j] / decoderNorm(w, j) : z[r * m + j]) * w.wDec()[j * d + c];
                }
                out[r * d + c] = s;
            }
        }
        return out;
    }
}
