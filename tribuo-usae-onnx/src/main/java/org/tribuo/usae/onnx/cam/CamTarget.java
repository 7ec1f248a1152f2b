package org.tribuo.usae.onnx.cam;

import org.tribuo.usae.onnx.extract.TokenPolicy;

/**
 * One vision model as activation maximisation sees it: its network, the tap and token policy the USAE was
 * trained on, its input size and normalisation.
 *
 * @param name          the USAE model name.
 * @param backbone      the serialized ONNX network.
 * @param tap           the tapped tensor.
 * @param policy        the token policy of the extraction.
 * @param normalization the input normalisation for [0, 1] pixels.
 * @param inputHeight   model input height.
 * @param inputWidth    model input width.
 */
public record CamTarget(String name, byte[] backbone, String tap, TokenPolicy policy,
                        PixelNormalization normalization, int inputHeight, int inputWidth) {

    /** @return the objective graph for {@code batch} images. */
    public ConceptObjective objective(ConceptReadout readout, int batch) {
        return ConceptObjective.build(name, backbone, tap, policy, normalization, readout, batch, inputHeight,
                inputWidth);
    }
}
