/**
 * Reverse-mode automatic differentiation of ONNX graphs, executed by ONNX Runtime.
 *
 * <p>{@link org.tribuo.usae.onnx.autodiff.GradientGraphBuilder} appends, for every forward node on the path from
 * one float input to one output, the nodes of its vector-Jacobian product, and returns a model whose extra output
 * is the gradient of {@code <seed, output>} with respect to the input. Shapes are fixed when the graph is built
 * (a {@link org.tribuo.usae.onnx.autodiff.ShapeProbe} runs the forward graph once), so broadcasting reductions,
 * padding and transposed convolutions are emitted with constant attributes. Only data gradients are produced;
 * weights are treated as constants.
 */
package org.tribuo.usae.onnx.autodiff;
