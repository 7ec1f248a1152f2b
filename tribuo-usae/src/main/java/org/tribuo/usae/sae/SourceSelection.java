package org.tribuo.usae.sae;

/** Which models are encoded in a training step. */
public enum SourceSelection {
    /** Official USAE: one model drawn uniformly at random per step. */
    RANDOM_ONE,
    /** SPARC: every model is encoded every step. */
    ALL
}
