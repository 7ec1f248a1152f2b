/**
 * Tribuo integration of a trained USAE: the {@link org.tribuo.usae.model.ConceptActivations} output
 * type with its factory, output infos and sparsity evaluator, and protobuf conversion of parameters
 * ({@link org.tribuo.usae.model.ParameterProtos}).
 */
package org.tribuo.usae.model;
