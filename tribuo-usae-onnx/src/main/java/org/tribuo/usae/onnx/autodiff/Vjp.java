package org.tribuo.usae.onnx.autodiff;

/** The vector-Jacobian product of one operator type. */
@FunctionalInterface
public interface Vjp {
    /**
     * Emits the gradient of every differentiable input.
     *
     * @param g        the node, its output gradient and the emitter.
     * @param needed   {@code needed[i]} is true when input i carries a gradient back to the graph input.
     * @return per input, the gradient's tensor name, or {@code null} where none is needed.
     */
    String[] apply(NodeGrad g, boolean[] needed);
}
