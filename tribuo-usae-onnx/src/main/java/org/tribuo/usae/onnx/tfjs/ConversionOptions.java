package org.tribuo.usae.onnx.tfjs;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * What to convert: from which input to which output taps, and how the input is declared.
 *
 * <p>Only the subgraph between the input and the taps is converted, so ops elsewhere in the model (a
 * TensorArray preprocessing loop in front of the input, box decoding after the taps) never matter.
 *
 * @param inputNode  the graph node or Keras layer that becomes the ONNX input (its output is fed); null for the
 *                   model's only Placeholder / InputLayer.
 * @param inputShape the input's static shape in TF order, [N x H x W x C] for images, N may be -1 (symbolic);
 *                   null to take the model's declared shape (whose spatial sizes must then be known).
 * @param taps       graph node or layer names whose outputs become the ONNX outputs, in this order and under these
 *                   names; a graph-model tap may be given by a unique '/'-suffix of the node name
 *                   ({@code Conv_1/Relu6} for {@code FeatureExtractor/MobilenetV2/Conv_1/Relu6}).
 * @param nchwInput  declare a 4-D ONNX input as [N x C x H x W] (else NHWC, transposed once at the graph start).
 */
public record ConversionOptions(String inputNode, long[] inputShape, List<String> taps, boolean nchwInput) {
    /** Validates and copies. */
    public ConversionOptions {
        if (taps == null || taps.isEmpty()) {
            throw new IllegalArgumentException("at least one output tap is needed");
        }
        taps = List.copyOf(taps);
        if (new HashSet<>(taps).size() != taps.size()) {
            throw new IllegalArgumentException("taps repeat a name: " + taps);
        }
        for (String t : taps) {
            if (t.isBlank()) {
                throw new IllegalArgumentException("blank tap name in " + taps);
            }
        }
        if (inputNode != null && inputNode.isBlank()) {
            throw new IllegalArgumentException("blank input node name");
        }
        if (inputShape != null) {
            inputShape = inputShape.clone();
            for (int i = 0; i < inputShape.length; i++) {
                if (inputShape[i] == 0 || inputShape[i] < -1 || (inputShape[i] == -1 && i != 0)) {
                    throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape)
                            + ": dimensions must be positive (the batch may be -1)");
                }
            }
        }
    }

    /** @param taps the output taps. @return options converting from the model's own input to these taps. */
    public static ConversionOptions taps(String... taps) {
        return new ConversionOptions(null, null, List.of(taps), false);
    }

    /** @param node the node or layer to feed. @param nhwcShape its static TF-order shape. @return new options. */
    public ConversionOptions withInput(String node, long... nhwcShape) {
        return new ConversionOptions(node, nhwcShape, taps, nchwInput);
    }

    /** @param nhwcShape the model input's static TF-order shape. @return new options. */
    public ConversionOptions withInputShape(long... nhwcShape) {
        return new ConversionOptions(inputNode, nhwcShape, taps, nchwInput);
    }

    /** @return new options declaring the ONNX input [N x C x H x W]. */
    public ConversionOptions withNchwInput() {
        return new ConversionOptions(inputNode, inputShape, taps, true);
    }

    @Override
    public long[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConversionOptions c && java.util.Objects.equals(inputNode, c.inputNode)
                && Arrays.equals(inputShape, c.inputShape) && taps.equals(c.taps) && nchwInput == c.nchwInput;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(inputNode, Arrays.hashCode(inputShape), taps, nchwInput);
    }

    @Override
    public String toString() {
        return "ConversionOptions[inputNode=" + inputNode + ", inputShape=" + Arrays.toString(inputShape) + ", taps="
                + taps + ", nchwInput=" + nchwInput + "]";
    }
}
