package org.tribuo.usae.onnx.autodiff;

/**
 * A forward graph extended with the reverse-mode gradient of one output with respect to one input.
 *
 * <p>Feeding {@code input} (float {@code inputShape}) and {@code seed} (float {@code outputShape}) returns
 * {@code output} and {@code inputGradient} = {@code d <seed, output> / d input} (float {@code inputShape}).
 *
 * @param model         the serialized ONNX model.
 * @param input         the graph input differentiated against.
 * @param inputShape    its fixed shape.
 * @param output        the differentiated tensor (a graph output of the new model).
 * @param outputShape   its fixed shape.
 * @param seed          the graph input holding the output's cotangent.
 * @param inputGradient the graph output holding the input gradient.
 */
public record GradientGraph(byte[] model, String input, long[] inputShape, String output, long[] outputShape,
                            String seed, String inputGradient) {
}
