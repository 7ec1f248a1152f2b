package org.tribuo.usae.onnx.tfjs;

import ai.onnx.proto.OnnxMl;
import org.tribuo.usae.data.AtomicFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A converted model and how to call it.
 *
 * @param model        the ONNX model (opset 13, float32).
 * @param inputName    the ONNX input name (the tfjs input node or layer name).
 * @param inputShape   the ONNX input shape, NHWC or with {@link ConversionOptions#nchwInput()} NCHW; -1 = batch.
 * @param outputNames  the ONNX output names: the taps as given, in order.
 * @param outputShapes their shapes, 4-D ones [N x C x H x W]; -1 = batch.
 * @param tapNodes     tap -> the full graph node or layer name it resolved to.
 */
public record TfjsConversion(OnnxMl.ModelProto model, String inputName, long[] inputShape, List<String> outputNames,
                             List<long[]> outputShapes, Map<String, String> tapNodes) {
    /** @return the serialized model, for {@code OrtEnvironment.createSession(byte[])}. */
    public byte[] toByteArray() {
        return model.toByteArray();
    }

    /** @param file the {@code .onnx} file, written atomically (temp file + rename). */
    public void write(Path file) {
        AtomicFiles.write(file, toByteArray());
    }

    /** @param tap one of {@link #outputNames()}. @return its ONNX shape. */
    public long[] outputShape(String tap) {
        int i = outputNames.indexOf(tap);
        if (i < 0) {
            throw new IllegalArgumentException("no output tap '" + tap + "' (have " + outputNames + ")");
        }
        return outputShapes.get(i).clone();
    }
}
