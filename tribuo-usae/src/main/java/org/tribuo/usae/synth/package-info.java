/**
 * Synthetic activations with planted concepts shared across models, and the test of whether a learned
 * universal dictionary recovered them. This is the project's built-in demo data.
 */
package org.tribuo.usae.synth;
