/**
 * Evaluation metrics for USAEs: self and cross reconstruction R² (three definitions), code sparsity, and
 * the paper's concept analyses ({@link org.tribuo.usae.metrics.ConceptAnalysis}: energy, firing entropy,
 * co-firing, unique/universal concepts, and Hungarian-matched consistency with independent SAEs).
 * Plain Java with double accumulators; nothing here trains (the independent SAEs that consistency compares
 * against come from {@link org.tribuo.usae.train.IndependentBaselines}), so metrics does not depend on train.
 */
package org.tribuo.usae.metrics;
