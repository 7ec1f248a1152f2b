package org.tribuo.usae.onnx.tfjs;

import ai.onnx.proto.OnnxMl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a {@link TfjsModel} to ONNX (opset 13, NCHW): the subgraph between the input and the taps of
 * {@link ConversionOptions}, with TF's layouts translated (HWIO kernels to OIHW, depthwise kernels to grouped
 * convolutions, SAME padding to explicit bottom/right-heavy pads from the static input size).
 *
 * <pre>{@code
 * TfjsConversion c = TfjsToOnnx.convert(TfjsModel.read(folder),
 *         ConversionOptions.taps("block_12_add", "out_relu").withInputShape(-1, 224, 224, 3));
 * c.write(Path.of("mobilenet_v2.onnx"));            // or env.createSession(c.toByteArray())
 * }</pre>
 */
public final class TfjsToOnnx {
    private TfjsToOnnx() {
    }

    /**
     * What a format-specific converter hands back: the graph with its input declared and the taps' values.
     * @param taps tap as given -> its value.
     * @param tapNodes tap as given -> the node or layer name it resolved to.
     */
    record Converted(NchwGraph graph, String inputName, long[] inputShape, Map<String, NchwGraph.Value> taps,
                     Map<String, String> tapNodes) {
    }

    /**
     * @param model the read model.
     * @param options input and taps.
     * @return the ONNX model and its call signature.
     * @throws TfjsFormatException naming the node or layer for an unsupported op, setting or shape.
     */
    public static TfjsConversion convert(TfjsModel model, ConversionOptions options) {
        Converted c = model.format() == TfjsModel.Format.GRAPH_MODEL
                ? GraphModelConverter.convert(model, options) : LayersModelConverter.convert(model, options);
        List<long[]> shapes = new ArrayList<>();
        for (String tap : options.taps()) {
            shapes.add(c.graph().output(tap, c.taps().get(tap)));
        }
        String doc = "Converted from TensorFlow.js " + model.fileName() + " (" + model.format() + "), input '"
                + c.inputName() + "', taps " + c.tapNodes();
        OnnxMl.ModelProto proto = c.graph().build("tfjs", doc);
        return new TfjsConversion(proto, c.inputName(), c.inputShape(), options.taps(), List.copyOf(shapes),
                new LinkedHashMap<>(c.tapNodes()));
    }

    /** @param folderOrModelFile as {@link TfjsModel#read}. @param options input and taps. @return the conversion. */
    public static TfjsConversion convert(Path folderOrModelFile, ConversionOptions options) {
        return convert(TfjsModel.read(folderOrModelFile), options);
    }
}
