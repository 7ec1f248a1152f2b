package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;

import java.util.Arrays;

/**
 * What a vector-Jacobian rule sees for one forward node: the node, the gradient of its first output, the
 * static shapes, and the emitter for new nodes.
 *
 * @param node    the forward node.
 * @param dy      name of the gradient of {@code node.output[0]} (same shape).
 * @param emitter where new nodes go.
 * @param probe   static shapes and small int64 values.
 */
public record NodeGrad(OnnxMl.NodeProto node, String dy, GraphEmitter emitter, ShapeProbe probe) {

    /** @return input {@code i}'s name ("" when omitted or absent). */
    public String in(int i) {
        return i < node.getInputCount() ? node.getInput(i) : "";
    }

    /** @return output {@code i}'s name. */
    public String out(int i) {
        return node.getOutput(i);
    }

    /** @return the static shape of input {@code i}. */
    public long[] inShape(int i) {
        return probe.shape(in(i));
    }

    /** @return the static shape of output 0. */
    public long[] outShape() {
        return probe.shape(out(0));
    }

    /** @return the INT attribute, or {@code dflt}. */
    public long intAttr(String name, long dflt) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    /** @return the FLOAT attribute, or {@code dflt}. */
    public float floatAttr(String name, float dflt) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    /** @return the STRING attribute, or {@code dflt}. */
    public String stringAttr(String name, String dflt) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return dflt;
    }

    /** @return the INTS attribute, or {@code null} when absent. */
    public long[] intsAttr(String name) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }

    /** @return a {@link GradientException} naming this node and the problem. */
    public GradientException unsupported(String what) {
        return new GradientException("cannot differentiate " + node.getOpType() + " node '" + node.getName()
                + "' (output '" + out(0) + "'): " + what);
    }

    /** @return the axis normalised to {@code [0, rank)}. */
    public static int axis(long a, int rank) {
        long r = a < 0 ? a + rank : a;
        if (r < 0 || r >= rank) {
            throw new GradientException("axis " + a + " out of range for rank " + rank);
        }
        return (int) r;
    }

    /** @return shape as text. */
    public static String str(long[] s) {
        return Arrays.toString(s);
    }
}
