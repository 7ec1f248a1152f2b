/**
 * Export of a trained {@link org.tribuo.usae.model.UsaeModel} as one ONNX model
 * ({@link org.tribuo.usae.onnx.export.UsaeOnnxExporter}), built with Tribuo's ONNX builder plus the few
 * operators it lacks ({@code UsaeOnnxOps}).
 */
package org.tribuo.usae.onnx.export;
