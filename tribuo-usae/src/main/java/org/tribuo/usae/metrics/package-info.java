/**
 * Evaluation metrics for USAEs: self and cross reconstruction R² (three definitions) and code sparsity.
 * Plain Java with double accumulators; no engine dependency, so any engine's outputs can be scored.
 */
package org.tribuo.usae.metrics;
