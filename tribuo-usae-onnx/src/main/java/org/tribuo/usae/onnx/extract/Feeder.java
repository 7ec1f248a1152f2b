package org.tribuo.usae.onnx.extract;

import ai.onnxruntime.OnnxTensor;

import java.util.List;
import java.util.Map;

/**
 * Builds one backbone's input tensors for a batch of inputs. The returned tensors are closed by
 * the caller ({@link ExtractionJob}) after the run.
 *
 * @param <T> the input type (an {@link Image}, a sentence, ...).
 */
@FunctionalInterface
public interface Feeder<T> {
    /**
     * @param backbone the backbone (for its environment and input names).
     * @param batch    the inputs.
     * @return input name to tensor.
     */
    Map<String, OnnxTensor> feed(Backbone backbone, List<T> batch);

    /**
     * @param pre       the preprocessor.
     * @param inputName the model input to fill; null for the model's only input.
     * @return a feeder for images.
     */
    static Feeder<Image> images(ImagePreprocessor pre, String inputName) {
        return (bb, batch) -> {
            String name = inputName;
            if (name == null) {
                if (bb.inputs().size() != 1) {
                    throw new BackboneException(bb.label() + ": the model has inputs " + bb.inputs().keySet()
                            + "; name the one that takes the image");
                }
                name = bb.inputs().keySet().iterator().next();
            }
            return Map.of(name, pre.tensor(bb.environment(), batch));
        };
    }
}
