/**
 * Concept codes as features for any Tribuo trainer: {@link org.tribuo.usae.features.ConceptEncoder} turns examples
 * of one network's activations into examples of sparse {@code concept:<id>} features with the outputs kept;
 * {@link org.tribuo.usae.features.ConceptFeatureTrainer} wraps any Tribuo trainer so the model it returns
 * ({@link org.tribuo.usae.features.ConceptFeatureModel}) encodes new examples the same way at prediction time, and
 * its provenance carries the USAE's and the source dataset's.
 */
package org.tribuo.usae.features;
