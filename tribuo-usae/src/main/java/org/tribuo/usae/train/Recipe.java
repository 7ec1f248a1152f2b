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
 * </ul>
 */
public enum Recipe {
    FAITHFUL,
    SPARC,
    ALIGNED
}
