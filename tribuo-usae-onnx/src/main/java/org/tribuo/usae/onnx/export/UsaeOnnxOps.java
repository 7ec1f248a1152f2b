package org.tribuo.usae.onnx.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX operators the USAE graph needs beyond Tribuo's {@link org.tribuo.util.onnx.ONNXOperators}
 * (default domain). Versions are the ones current at opset 13, the opset the exported model imports.
 */
enum UsaeOnnxOps implements ONNXOperator {
    /** Element-wise max(x, 0). */
    RELU("Relu", 1, 0, 1, 13),
    /** Element-wise square root. */
    SQRT("Sqrt", 1, 0, 1, 13),
    /** The shape of a tensor as an int64 vector. */
    SHAPE("Shape", 1, 0, 1, 13),
    /** Values and int64 indices of the k largest entries along an axis; input 2 is k as an int64 [1] tensor. */
    TOPK("TopK", 2, 0, 2, 11, attr("axis"), attr("largest"), attr("sorted")),
    /** {@code out[r][j] = data[r][indices[r][j]]} along the axis. */
    GATHER_ELEMENTS("GatherElements", 2, 0, 1, 13, attr("axis")),
    /** Copy of data with {@code out[r][indices[r][j]] = updates[r][j]} along the axis. */
    SCATTER_ELEMENTS("ScatterElements", 3, 0, 1, 13, attr("axis")),
    /** Element-wise {@code a < b} as booleans, with broadcasting. */
    LESS("Less", 2, 0, 1, 13),
    /** Element-wise {@code condition ? x : y}, with broadcasting. */
    WHERE("Where", 3, 0, 1, 9);

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final int numOutputs;
    private final int opVersion;
    private final Map<String, ONNXAttribute> attributes;

    UsaeOnnxOps(String opName, int numInputs, int numOptionalInputs, int numOutputs, int opVersion,
                ONNXAttribute... attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        this.numOutputs = numOutputs;
        this.opVersion = opVersion;
        Map<String, ONNXAttribute> map = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            map.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(map);
    }

    private static ONNXAttribute attr(String name) {
        return new ONNXAttribute(name, AttributeType.INT, false);
    }

    @Override
    public String getOpName() { return opName; }

    @Override
    public int getNumInputs() { return numInputs; }

    @Override
    public int getNumOptionalInputs() { return numOptionalInputs; }

    @Override
    public int getNumOutputs() { return numOutputs; }

    @Override
    public Map<String, ONNXAttribute> getAttributes() { return attributes; }

    @Override
    public Set<String> getMandatoryAttributeNames() { return Collections.emptySet(); }

    @Override
    public int getOpVersion() { return opVersion; }

    @Override
    public String getOpDomain() { return null; }
}
