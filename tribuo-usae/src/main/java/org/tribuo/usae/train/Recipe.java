package org.tribuo.usae.train;

/**
 * Named bundles of training choices. Each trainer option left unset takes its recipe's value.
 * <ul>
 *   <li>FAITHFUL: the official USAE code (BatchNorm encoder, per-model TopK, row-normalised randn
 *       dictionary, L1 + 0.1 half-aux, one random source per step, source-only updates, AdamW 3e-4
 *       wd 1e-5, clip 1.0 per model, cosine schedule with one epoch of warmup, k = 32, m = 8 x max d,
 *       6272 rows per step);</li>
 *   <li>SPARC: global TopK over summed pre-activations, affine encoders with tied pre/decoder bias,
 *       tied unit-norm decoder with gradient projection, NMSE self loss + lambda (1.0) cross loss +
 *       1/32 AuxK over latents dead for 1000 steps (re-initialised every 100 steps), all models
 *       every step and all updated, Adam 1e-4 constant, no clipping, k = 64, 256 rows per step.</li>
 *   <li>ALIGNED (the default): affine encoders with tied bias, per-model TopK, unit-norm tied decoders,
 *       NMSE self + cross loss, dead-latent AuxK, every model a source each step; tuned on the
 *       planted-concept recovery benchmark.</li>
 *   <li>FAST: FAITHFUL with the half-aux loss replaced by Gao et al.'s dead-latent AuxK (auxK 64,
 *       weight 1/32, dead after 1000 steps). The code gradient is then k + auxK slots per row, so the
 *       BatchNorm weight gradient factorises through the {@code d x d} scatter matrix of the inputs and
 *       a step costs about one encoder product (the encoder-only roofline).</li>
 *   <li>AFFINE_FAST: ALIGNED with one random source per step and source-only updates: affine encoder,
 *       sparse backward everywhere, so a step too costs about one encoder product.</li>
 * </ul>
 */
public enum Recipe {
    FAITHFUL,
    SPARC,
    ALIGNED,
    FAST,
    AFFINE_FAST
}
