package org.tribuo.usae.onnx.cam;

import org.tribuo.usae.sae.Encoder;
import org.tribuo.usae.sae.ModelParameters;

/**
 * Concept {@code k}'s eval-mode pre-activation (before ReLU and TopK) of one model's encoder as one affine map of
 * a raw token: {@code pre(x) = x . direction + offset}, {@code x} of width {@code d}.
 *
 * <p>It folds the whole encoder path for one latent, in double: standardise {@code (x - mu) / (sigma + 1e-5)};
 * BATCHNORM {@code h = x W_k + b_k}, then {@code (h - running_mean_k) / sqrt(running_var_k + 1e-5) * gamma_k + beta_k};
 * AFFINE {@code (x - input_bias) W_k + b_k}. The value before ReLU is the objective, not {@code relu(pre)}: on a
 * random start most tokens have a negative pre-activation, where {@code relu} would give no gradient at all.
 *
 * @param concept   the latent index.
 * @param direction {@code [d]} weights on the raw token.
 * @param offset    the constant term.
 */
public record ConceptReadout(int concept, float[] direction, double offset) {
    /** BatchNorm epsilon, as the encoders use it. */
    public static final double BN_EPS = 1e-5;

    /**
     * @param p       one model's parameters.
     * @param encoder the encoder block.
     * @param concept the latent, in {@code [0, m)}.
     * @return the folded readout.
     */
    public static ConceptReadout of(ModelParameters p, Encoder encoder, int concept) {
        if (concept < 0 || concept >= p.numLatents()) {
            throw new IllegalArgumentException("concept " + concept + " is not a latent of model '" + p.name()
                    + "' (m = " + p.numLatents() + ")");
        }
        int d = p.dim();
        float[] w = p.encoderWeight();
        double bias = p.encoderBias() == null ? 0 : p.encoderBias()[concept];
        double gain = 1;
        double shift = 0;
        if (encoder.normalizesOverBatch()) {
            double a = p.bnWeight()[concept] / Math.sqrt(p.bnRunningVar()[concept] + BN_EPS);
            gain = a;
            shift = (bias - p.bnRunningMean()[concept]) * a + p.bnBias()[concept];
        } else {
            double preDot = 0;
            float[] pre = p.inputBias();
            for (int c = 0; c < d; c++) {
                preDot += (double) pre[c] * w[concept * d + c];
            }
            shift = bias - preDot;
        }
        // Standardisation: x_std = (x - mu) * s with s = 1 / (sigma + eps).
        double s = 1.0 / (p.sigma() + ModelParameters.STANDARDIZE_EPS);
        float[] dir = new float[d];
        double dirSum = 0;
        for (int c = 0; c < d; c++) {
            double v = w[concept * d + c] * gain * s;
            dir[c] = (float) v;
            dirSum += v;
        }
        return new ConceptReadout(concept, dir, shift - p.mu() * dirSum);
    }

    /** @param token {@code [d]} raw activations. @return the pre-activation, in double. */
    public double apply(float[] token) {
        if (token.length != direction.length) {
            throw new IllegalArgumentException("token has width " + token.length + ", the readout expects "
                    + direction.length);
        }
        double s = offset;
        for (int c = 0; c < token.length; c++) {
            s += (double) token[c] * direction[c];
        }
        return s;
    }
}
