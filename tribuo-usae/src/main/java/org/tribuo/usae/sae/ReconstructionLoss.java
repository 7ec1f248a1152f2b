package org.tribuo.usae.sae;

/** Reconstruction criterion between a target {@code [rows x d]} and its reconstruction. */
public enum ReconstructionLoss {
    /** mean |x - x̂| over all rows * d elements (official USAE). */
    L1,
    /** mean (x - x̂)^2 over all rows * d elements. */
    L2,
    /** SPARC / OpenAI: mean over rows of mean_d (x - x̂)^2 / mean_d x^2. */
    NMSE
}
