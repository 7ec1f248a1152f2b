package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Appends nodes and constant initialisers to a graph under fresh, unique names, hiding the few operators whose
 * signature changed between opsets (ReduceSum's axes became an input in opset 13; Slice's bounds in 10 and Pad's
 * pads in 11).
 */
public final class GraphEmitter {
    private final int opset;
    private final String prefix;
    private final Set<String> taken;
    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
    private int counter;

    /**
     * @param opset  the default-domain opset of the graph the nodes go into.
     * @param prefix name prefix of every new tensor.
     * @param taken  names already used in the graph (updated as names are made).
     */
    public GraphEmitter(int opset, String prefix, Set<String> taken) {
        this.opset = opset;
        this.prefix = prefix;
        this.taken = taken;
    }

    /** @return the opset. */
    public int opset() {
        return opset;
    }

    /** @return the nodes emitted so far, in order. */
    public List<OnnxMl.NodeProto> nodes() {
        return nodes;
    }

    /** @return the constant initialisers emitted so far. */
    public List<OnnxMl.TensorProto> initializers() {
        return initializers;
    }

    /** @param hint a readable stem. @return a name not used in the graph. */
    public String fresh(String hint) {
        String n;
        do {
            n = prefix + hint + "_" + (counter++);
        } while (!taken.add(n));
        return n;
    }

    /**
     * Emits one node with one output.
     *
     * @param op     operator type.
     * @param inputs input names ("" for an omitted optional input).
     * @param attrs  attributes (see {@link #ints}, {@link #intAttr}, {@link #floatAttr}).
     * @return the output name.
     */
    public String op(String op, List<String> inputs, OnnxMl.AttributeProto... attrs) {
        String out = fresh(op.toLowerCase());
        opTo(out, op, inputs, attrs);
        return out;
    }

    /**
     * Emits one node whose output gets a name chosen by the caller (a graph output the user asked for by name);
     * the caller keeps that name out of {@link #fresh} by adding it to the taken set first.
     *
     * @param out    the output name.
     * @param op     operator type.
     * @param inputs input names.
     * @param attrs  attributes.
     */
    public void opTo(String out, String op, List<String> inputs, OnnxMl.AttributeProto... attrs) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out + "_node")
                .addAllInput(inputs).addOutput(out);
        for (OnnxMl.AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        nodes.add(b.build());
    }

    /** @return {@code op(a)}. */
    public String op(String op, String a, OnnxMl.AttributeProto... attrs) {
        return op(op, List.of(a), attrs);
    }

    /** @return {@code op(a, b)}. */
    public String op(String op, String a, String b, OnnxMl.AttributeProto... attrs) {
        return op(op, List.of(a, b), attrs);
    }

    /** @param v the value. @return the name of a float scalar constant. */
    public String scalar(float v) {
        return floats(new float[]{v});
    }

    /** @param v values; @param dims the shape (none for a scalar). @return the name of a float constant. */
    public String floats(float[] v, long... dims) {
        return floats("const", v, dims);
    }

    /**
     * @param hint a readable stem of the initialiser's name (e.g. the weight it came from).
     * @param v values. @param dims the shape (none for a scalar). @return the name of a float constant.
     */
    public String floats(String hint, float[] v, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        String name = fresh(hint);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bb.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return name;
    }

    /** @param v values. @return the name of a 1-D int64 constant. */
    public String longs(long... v) {
        String name = fresh("shape");
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        initializers.add(t.build());
        return name;
    }

    /** @return {@code x} reshaped to the static {@code shape}. */
    public String reshape(String x, long[] shape) {
        return op("Reshape", x, longs(shape));
    }

    /** @return the sum over {@code axes} of {@code x}, dimensions kept. */
    public String reduceSumKeep(String x, long[] axes) {
        if (opset >= 13) {
            return op("ReduceSum", List.of(x, longs(axes)), intAttr("keepdims", 1));
        }
        return op("ReduceSum", List.of(x), ints("axes", axes), intAttr("keepdims", 1));
    }

    /**
     * @param x      a tensor.
     * @param starts first index kept, per axis in {@code axes}.
     * @param ends   one past the last index kept, per axis.
     * @param axes   the sliced axes (non-negative).
     * @return the slice of {@code x} (step 1).
     */
    public String slice(String x, long[] starts, long[] ends, long[] axes) {
        if (opset >= 10) {
            return op("Slice", List.of(x, longs(starts), longs(ends), longs(axes)));
        }
        return op("Slice", List.of(x), ints("starts", starts), ints("ends", ends), ints("axes", axes));
    }

    /**
     * @param x     a tensor of rank r.
     * @param pads  {@code [begin_0 .. begin_r-1, end_0 .. end_r-1]}, every axis; negative values crop.
     * @param value the constant written into the padding.
     * @return {@code x} padded with {@code value}.
     */
    public String pad(String x, long[] pads, float value) {
        if (opset >= 11) {
            return op("Pad", List.of(x, longs(pads), scalar(value)));
        }
        return op("Pad", List.of(x), ints("pads", pads), floatAttr("value", value));
    }

    /**
     * Sums a gradient of the broadcast shape {@code from} down to an operand's shape {@code to} (numpy rules).
     *
     * @return the name of the reduced gradient, shaped exactly {@code to}.
     */
    public String sumTo(String g, long[] from, long[] to) {
        if (Arrays.equals(from, to)) {
            return g;
        }
        int lead = from.length - to.length;
        if (lead < 0) {
            throw new GradientException("cannot sum a gradient of shape " + Arrays.toString(from)
                    + " to the larger shape " + Arrays.toString(to));
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < from.length; i++) {
            long target = i < lead ? 1 : to[i - lead];
            if (i < lead || (target == 1 && from[i] != 1)) {
                axes.add((long) i);
            } else if (target != from[i]) {
                throw new GradientException("shape " + Arrays.toString(to) + " does not broadcast to "
                        + Arrays.toString(from));
            }
        }
        String s = axes.isEmpty() ? g : reduceSumKeep(g, axes.stream().mapToLong(Long::longValue).toArray());
        return reshape(s, to);
    }

    /** @return an INTS attribute. */
    public static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    /** @return an INT attribute. */
    public static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    /** @return a FLOAT attribute. */
    public static OnnxMl.AttributeProto floatAttr(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(v).build();
    }
}
