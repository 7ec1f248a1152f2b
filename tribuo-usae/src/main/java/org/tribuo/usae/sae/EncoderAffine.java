package org.tribuo.usae.sae;

/**
 * An encoder at inference written as one affine map of the standardised input: {@code pre = x_std @ weight^T + bias}.
 * Every encoder block has one (BatchNorm in eval mode folds into it), which is what lets a model leave as a plain
 * linear encoder (a SAELens folder) with the same pre-activations.
 *
 * @param weight {@code [m x d]}, row j the latent's encoder direction.
 * @param bias   {@code [m]}.
 */
public record EncoderAffine(double[] weight, double[] bias) {
}
