package org.tribuo.usae.sae;

/** How a model's activations become pre-activations {@code [rows x m]}. */
public enum EncoderKind {
    /** Official USAE: Linear then BatchNorm1d (PyTorch train/eval semantics), then ReLU. */
    BATCHNORM,
    /** Paper Eq. 3 / SPARC: Linear on (x - preBias) plus latent bias, then ReLU. */
    AFFINE
}
