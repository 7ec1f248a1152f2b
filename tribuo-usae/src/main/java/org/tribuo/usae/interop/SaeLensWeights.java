package org.tribuo.usae.interop;

/**
 * One model's encoder and decoder in SAELens's layout, on RAW activations: {@code pre = x @ wEnc + bEnc},
 * {@code z = TopK(pre)} then ReLU (or, with a threshold, {@code relu(pre) * (pre > threshold)}),
 * {@code x_hat = z @ wDec + bDec}.
 *
 * @param dIn       the model's width d.
 * @param dSae      the latents m.
 * @param wEnc      {@code [d x m]}.
 * @param bEnc      {@code [m]}.
 * @param wDec      {@code [m x d]}.
 * @param bDec      {@code [d]}.
 * @param threshold {@code [m]} JumpReLU thresholds, or null for TopK.
 */
public record SaeLensWeights(int dIn, int dSae, float[] wEnc, float[] bEnc, float[] wDec, float[] bDec,
                             float[] threshold) {
}
