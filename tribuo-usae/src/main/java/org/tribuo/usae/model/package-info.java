/**
 * Tribuo integration of a trained USAE: the {@link org.tribuo.usae.model.ConceptActivations} output
 * type with its factory, output infos and sparsity evaluator, protobuf conversion of parameters
 * ({@link org.tribuo.usae.model.ParameterProtos}), and the checked model file format
 * ({@link org.tribuo.usae.model.UsaeModel#serialize}, refusals as
 * {@link org.tribuo.usae.model.CorruptModelException}).
 */
package org.tribuo.usae.model;
