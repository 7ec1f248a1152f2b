package org.tribuo.usae.features;

/** How the concept codes of an input's tokens become the input's concept features. */
public enum TokenPooling {
    /** Each concept's largest activation over the tokens (a concept present anywhere in the input). */
    MAX,
    /** Each concept's mean activation over the tokens (zeros included). */
    MEAN
}
