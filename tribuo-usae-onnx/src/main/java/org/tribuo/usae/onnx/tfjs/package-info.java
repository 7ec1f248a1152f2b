/**
 * TensorFlow.js to ONNX conversion: {@link org.tribuo.usae.onnx.tfjs.TfjsModel#read} reads a tfjs
 * {@code graph-model} or {@code layers-model} (plain {@code model.json} + binary shards, or the browserify
 * {@code model.min.js} + base64 {@code group1-shardKofN.min.js} packaging), and
 * {@link org.tribuo.usae.onnx.tfjs.TfjsToOnnx#convert} writes the part of it between an input and a list of
 * output taps as an opset-13 NCHW ONNX graph that ONNX Runtime runs.
 */
package org.tribuo.usae.onnx.tfjs;
