/**
 * Evaluation metrics for USAEs: self and cross reconstruction R² (three definitions), code sparsity, and
 * the paper's concept analyses ({@link org.tribuo.usae.metrics.ConceptAnalysis}: energy, firing entropy,
 * co-firing, unique/universal concepts, and Hungarian-matched consistency with independent SAEs).
 * Plain Java with double accumulators; only {@link org.tribuo.usae.metrics.IndependentBaselines} trains
 * (it re-uses {@link org.tribuo.usae.train.UsaeTrainer}).
 */
package org.tribuo.usae.metrics;
