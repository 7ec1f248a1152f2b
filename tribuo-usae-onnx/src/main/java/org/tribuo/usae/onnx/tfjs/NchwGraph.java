package org.tribuo.usae.onnx.tfjs;

import ai.onnx.proto.OnnxMl;
import org.tribuo.usae.onnx.autodiff.GraphEmitter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.tribuo.usae.onnx.autodiff.GraphEmitter.floatAttr;
import static org.tribuo.usae.onnx.autodiff.GraphEmitter.intAttr;
import static org.tribuo.usae.onnx.autodiff.GraphEmitter.ints;

/**
 * Emits the ONNX graph of a tfjs model, op by op, keeping 4-D activations in NCHW.
 *
 * <p>Every runtime tensor is a {@link Value}: its ONNX name, its shape in TensorFlow's order (NHWC for rank 4,
 * -1 for the batch) and whether ONNX holds it transposed to NCHW. Convolutions, pools and batch norms produce
 * NCHW; the layout only changes back (one Transpose) where TensorFlow's order matters: a Reshape/Flatten (which
 * walk elements in NHWC order), a reduction or squeeze whose remaining axes would come out of order, or a
 * broadcast against a lower-rank runtime tensor. Constants are re-laid out at conversion time instead.
 *
 * <p>Each method names, in its {@code where} argument, the node or layer it converts, so that an unsupported
 * shape or setting is reported there.
 */
final class NchwGraph {
    /** Default-domain opset of the model written. */
    static final int OPSET = 13;
    /** ONNX IR version written (the one opset 13 came with). */
    static final int IR_VERSION = 7;
    /** Name of the symbolic batch dimension of inputs and outputs. */
    static final String BATCH = "N";
    /** NHWC axis -> NCHW axis. */
    private static final int[] TF_TO_NCHW = {0, 2, 3, 1};
    /** NCHW position -> NHWC axis held there. */
    private static final int[] NCHW_ORDER = {0, 3, 1, 2};

    /**
     * A runtime tensor.
     * @param name its ONNX name.
     * @param shape its shape in TensorFlow's axis order; -1 where unknown (the batch).
     * @param nchw whether ONNX holds this rank-4 tensor as NCHW (else exactly as TensorFlow does).
     */
    record Value(String name, long[] shape, boolean nchw) {
        int rank() {
            return shape.length;
        }

        /** @return the shape as ONNX holds the tensor. */
        long[] onnxShape() {
            return nchw ? new long[]{shape[0], shape[3], shape[1], shape[2]} : shape.clone();
        }
    }

    /** Explicit spatial padding (TF SAME puts the odd pixel at the bottom/right). */
    record Pads(long top, long bottom, long left, long right) {
        static final Pads NONE = new Pads(0, 0, 0, 0);

        /** @return ONNX {@code pads} for the two spatial axes: begins then ends. */
        long[] onnx() {
            return new long[]{top, left, bottom, right};
        }
    }

    private final Set<String> taken = new HashSet<>();
    private final GraphEmitter g = new GraphEmitter(OPSET, "", taken);
    private final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
    private final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();

    /** @param reserved names the caller will give values (input and outputs), kept out of generated names. */
    NchwGraph(List<String> reserved) {
        taken.addAll(reserved);
    }

    // ---------------------------------------------------------------- inputs and outputs

    /**
     * Declares the graph input and returns it as an NCHW value.
     * @param name the ONNX input name.
     * @param nhwc its shape [N x H x W x C] (N may be -1), or for rank != 4 the TF shape.
     * @param nchwInput whether the ONNX input is declared [N x C x H x W] (else NHWC, transposed once here).
     */
    Value input(String name, long[] nhwc, boolean nchwInput) {
        boolean fourD = nhwc.length == 4;
        Value declared = new Value(name, nhwc, fourD && nchwInput);
        inputs.add(valueInfo(name, declared.onnxShape()));
        return fourD ? toNchw(declared) : declared;
    }

    /** Declares {@code v} as a graph output named {@code name}; 4-D outputs are NCHW. @return its ONNX shape. */
    long[] output(String name, Value v) {
        Value out = v.rank() == 4 ? toNchw(v) : v;
        g.opTo(name, "Identity", List.of(out.name()));
        long[] shape = out.onnxShape();
        outputs.add(valueInfo(name, shape));
        return shape;
    }

    OnnxMl.ModelProto build(String graphName, String doc) {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName(graphName).addAllNode(g.nodes())
                .addAllInitializer(g.initializers()).addAllInput(inputs).addAllOutput(outputs).build();
        return OnnxMl.ModelProto.newBuilder().setGraph(graph).setIrVersion(IR_VERSION)
                .setProducerName("tribuo-usae tfjs converter").setDocString(doc)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long[] dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH)
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    // ---------------------------------------------------------------- layout

    /** @return {@code v} held as NCHW (rank 4 only). */
    Value toNchw(Value v) {
        if (v.nchw() || v.rank() != 4) {
            return v;
        }
        return new Value(g.op("Transpose", List.of(v.name()), ints("perm", 0, 3, 1, 2)), v.shape(), true);
    }

    /** @return {@code v} held in TensorFlow's order. */
    Value toTf(Value v) {
        if (!v.nchw()) {
            return v;
        }
        return new Value(g.op("Transpose", List.of(v.name()), ints("perm", 0, 2, 3, 1)), v.shape(), false);
    }

    /** @return the ONNX axis of TF axis {@code tfAxis} (already non-negative) of {@code v}. */
    static int onnxAxis(Value v, int tfAxis) {
        return v.nchw() ? TF_TO_NCHW[tfAxis] : tfAxis;
    }

    /** @return {@code axis} made non-negative for rank {@code rank}, or an error naming {@code where}. */
    static int normalizeAxis(long axis, int rank, String where) {
        if (axis < -rank || axis >= rank) {
            throw new TfjsFormatException(where + ": axis " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    // ---------------------------------------------------------------- convolution family

    /**
     * TF padding of one spatial axis as explicit (before, after) pads.
     * @param padding "SAME" or "VALID" (any case).
     */
    static long[] tfPads(String padding, long in, long kernel, long stride, long dilation, String where) {
        long effective = (kernel - 1) * dilation + 1;
        switch (padding.toUpperCase(java.util.Locale.ROOT)) {
            case "VALID":
                if (in < effective) {
                    throw new TfjsFormatException(where + ": input size " + in + " is smaller than the kernel "
                            + effective + " with VALID padding");
                }
                return new long[]{0, 0};
            case "SAME":
                long out = (in + stride - 1) / stride;
                long total = Math.max((out - 1) * stride + effective - in, 0);
                return new long[]{total / 2, total - total / 2};
            default:
                throw new TfjsFormatException(where + ": unsupported padding '" + padding + "' (SAME and VALID are)");
        }
    }

    /** @return pads of both spatial axes of NHWC {@code x} for a TF padding mode. */
    static Pads pads(Value x, String padding, long[] kernel, long[] strides, long[] dilations, String where) {
        long[] hw = spatial(x, where);
        long[] h = tfPads(padding, hw[0], kernel[0], strides[0], dilations[0], where);
        long[] w = tfPads(padding, hw[1], kernel[1], strides[1], dilations[1], where);
        return new Pads(h[0], h[1], w[0], w[1]);
    }

    /** @return the static (H, W) of a rank-4 value. */
    static long[] spatial(Value x, String where) {
        if (x.rank() != 4) {
            throw new TfjsFormatException(where + ": expects a 4-D NHWC input, got shape " + Arrays.toString(x.shape()));
        }
        if (x.shape()[1] <= 0 || x.shape()[2] <= 0) {
            throw new TfjsFormatException(where + ": needs a static input height and width (got "
                    + Arrays.toString(x.shape()) + "); give the input shape in the conversion options");
        }
        return new long[]{x.shape()[1], x.shape()[2]};
    }

    private static long outSize(long in, long before, long after, long kernel, long stride, long dilation) {
        return (in + before + after - ((kernel - 1) * dilation + 1)) / stride + 1;
    }

    /**
     * A 2-D convolution.
     * @param x NHWC input [N x H x W x C].
     * @param kernel HWIO [kh x kw x C x O], or with {@code depthwise} [kh x kw x C x multiplier].
     * @param bias [O] or null.
     * @param strides (sh, sw). @param dilations (dh, dw). @param pads explicit spatial pads.
     * @return [N x O x H' x W'] (O = C * multiplier for depthwise).
     */
    Value conv(Value x, TfjsTensor kernel, float[] bias, long[] strides, long[] dilations, Pads pads,
               boolean depthwise, String where) {
        long[] ks = kernel.shape();
        if (ks.length != 4) {
            throw new TfjsFormatException(where + ": kernel " + kernel.name() + " has shape " + Arrays.toString(ks)
                    + ", expected 4-D " + (depthwise ? "[H, W, in, multiplier]" : "HWIO"));
        }
        long c = x.shape()[3];
        long[] hw = spatial(x, where);
        if (ks[2] != c) {
            throw new TfjsFormatException(where + ": kernel " + kernel.name() + " expects " + ks[2]
                    + " input channels, the input has " + c);
        }
        int kh = (int) ks[0], kw = (int) ks[1], in = (int) ks[2], out4 = (int) ks[3];
        int o = depthwise ? in * out4 : out4;
        float[] k = kernel.floats();
        // HWIO -> OIHW; depthwise (H, W, C, M) -> (C*M, 1, H, W): TF's output channel c*M+m is group c's m-th filter
        float[] w = new float[k.length];
        for (int h = 0; h < kh; h++) {
            for (int ww = 0; ww < kw; ww++) {
                for (int ci = 0; ci < in; ci++) {
                    for (int j = 0; j < out4; j++) {
                        int oihw = depthwise ? (ci * out4 + j) * kh + h : (j * in + ci) * kh + h;
                        w[oihw * kw + ww] = k[((h * kw + ww) * in + ci) * out4 + j];
                    }
                }
            }
        }
        long[] wShape = {o, depthwise ? 1 : in, kh, kw};
        List<String> args = new ArrayList<>(List.of(toNchw(x).name(), g.floats(hint(kernel.name()), w, wShape)));
        if (bias != null) {
            requireLength(bias, o, "bias", where);
            args.add(g.floats("bias", bias, o));
        }
        String y = g.op("Conv", args, ints("kernel_shape", kh, kw), ints("strides", strides),
                ints("dilations", dilations), ints("pads", pads.onnx()), intAttr("group", depthwise ? in : 1));
        long oh = outSize(hw[0], pads.top(), pads.bottom(), kh, strides[0], dilations[0]);
        long ow = outSize(hw[1], pads.left(), pads.right(), kw, strides[1], dilations[1]);
        return new Value(y, new long[]{x.shape()[0], oh, ow, o}, true);
    }

    /**
     * Max or average pooling (TF semantics: SAME pads are ignored by the max and excluded from the average).
     * @param x [N x H x W x C]. @param avg average (else max). @return [N x C x H' x W'].
     */
    Value pool(Value x, boolean avg, long[] kernel, long[] strides, Pads pads, String where) {
        long[] hw = spatial(x, where);
        List<OnnxMl.AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", kernel),
                ints("strides", strides), ints("pads", pads.onnx())));
        if (avg) {
            attrs.add(intAttr("count_include_pad", 0));
        }
        String y = g.op(avg ? "AveragePool" : "MaxPool", List.of(toNchw(x).name()),
                attrs.toArray(new OnnxMl.AttributeProto[0]));
        long oh = outSize(hw[0], pads.top(), pads.bottom(), kernel[0], strides[0], 1);
        long ow = outSize(hw[1], pads.left(), pads.right(), kernel[1], strides[1], 1);
        if (oh <= 0 || ow <= 0) {
            throw new TfjsFormatException(where + ": pool window larger than the input " + Arrays.toString(x.shape()));
        }
        return new Value(y, new long[]{x.shape()[0], oh, ow, x.shape()[3]}, true);
    }

    /** Zero padding of the spatial axes of [N x H x W x C]. */
    Value zeroPad(Value x, Pads pads, String where) {
        long[] hw = spatial(x, where);
        String p = g.longs(0, 0, pads.top(), pads.left(), 0, 0, pads.bottom(), pads.right());
        String y = g.op("Pad", List.of(toNchw(x).name(), p));
        return new Value(y, new long[]{x.shape()[0], hw[0] + pads.top() + pads.bottom(),
                hw[1] + pads.left() + pads.right(), x.shape()[3]}, true);
    }

    /**
     * Inference batch normalization over the last TF axis: {@code (x - mean) / sqrt(var + eps) * scale + offset}.
     * ONNX Runtime fuses it into a preceding Conv.
     */
    Value batchNorm(Value x, float[] scale, float[] offset, float[] mean, float[] variance, double epsilon,
                    String where) {
        if (x.rank() != 4 && x.rank() != 2) {
            throw new TfjsFormatException(where + ": batch normalization of a rank-" + x.rank()
                    + " tensor is not supported (rank 2 and 4 are)");
        }
        long c = x.shape()[x.rank() - 1];
        requireLength(scale, c, "scale", where);
        requireLength(offset, c, "offset", where);
        requireLength(mean, c, "mean", where);
        requireLength(variance, c, "variance", where);
        Value in = x.rank() == 4 ? toNchw(x) : x;
        String y = g.op("BatchNormalization", List.of(in.name(), g.floats("bn_scale", scale, c),
                g.floats("bn_offset", offset, c), g.floats("bn_mean", mean, c), g.floats("bn_var", variance, c)),
                floatAttr("epsilon", (float) epsilon));
        return new Value(y, x.shape(), in.nchw());
    }

    /**
     * Dense layer / MatMul with a constant right operand: {@code x . W + b}.
     * @param x [N x in]. @param w [in x out] (or [out x in] with {@code transposeW}). @param bias [out] or null.
     * @return [N x out].
     */
    Value gemm(Value x, TfjsTensor w, boolean transposeW, float[] bias, String where) {
        long[] ws = w.shape();
        if (x.rank() != 2 || ws.length != 2) {
            throw new TfjsFormatException(where + ": matrix product of shapes " + Arrays.toString(x.shape()) + " and "
                    + Arrays.toString(ws) + " is not supported (rank 2 by rank 2 is)");
        }
        long in = transposeW ? ws[1] : ws[0];
        long out = transposeW ? ws[0] : ws[1];
        if (x.shape()[1] != in) {
            throw new TfjsFormatException(where + ": input has " + x.shape()[1] + " features, the weight "
                    + w.name() + " expects " + in);
        }
        List<String> args = new ArrayList<>(List.of(x.name(), g.floats(hint(w.name()), w.floats(), ws)));
        if (bias != null) {
            requireLength(bias, out, "bias", where);
            args.add(g.floats("bias", bias, out));
        }
        String y = g.op("Gemm", args, intAttr("transB", transposeW ? 1 : 0));
        return new Value(y, new long[]{x.shape()[0], out}, false);
    }

    // ---------------------------------------------------------------- element-wise

    /** @return {@code op(x)} for a unary ONNX op that keeps the shape (Relu, Sigmoid, Identity...). */
    Value unary(String op, Value x) {
        return new Value(g.op(op, List.of(x.name())), x.shape(), x.nchw());
    }

    /** @return {@code min(max(x, lo), hi)}. */
    Value clip(Value x, float lo, float hi) {
        return new Value(g.op("Clip", List.of(x.name(), g.scalar(lo), g.scalar(hi))), x.shape(), x.nchw());
    }

    /** @return softmax over the last TF axis. */
    Value softmax(Value x) {
        int axis = x.rank() == 0 ? 0 : onnxAxis(x, x.rank() - 1);
        return new Value(g.op("Softmax", List.of(x.name()), intAttr("axis", axis)), x.shape(), x.nchw());
    }

    /** @return {@code op(a, b)} (Add, Sub, Mul) of two runtime values with TF broadcasting. */
    Value binary(String op, Value a, Value b, String where) {
        if (a.rank() == 4 && b.rank() == 4) {
            if (a.nchw() || b.nchw()) {
                a = toNchw(a);
                b = toNchw(b);
            }
        } else {
            a = toTf(a);
            b = toTf(b);
        }
        long[] shape = broadcast(a.shape(), b.shape(), where);
        return new Value(g.op(op, List.of(a.name(), b.name())), shape, a.nchw());
    }

    /**
     * @return {@code op(x, c)} or with {@code constFirst} {@code op(c, x)}; the constant is re-laid out to NCHW
     * at conversion time when {@code x} is NCHW.
     */
    Value binaryConst(String op, Value x, TfjsTensor c, boolean constFirst, String where) {
        if (c.dtype() != TfjsTensor.DType.FLOAT32) {
            throw new TfjsFormatException(where + ": constant " + c.name() + " is int32, expected float32");
        }
        long[] cs = c.shape();
        if (cs.length > x.rank()) {
            x = toTf(x);
        }
        long[] shape = broadcast(x.shape(), cs, where);
        float[] data = c.floats();
        long[] dims = cs;
        if (x.nchw() && cs.length > 0) {
            long[] c4 = new long[4];
            Arrays.fill(c4, 1);
            System.arraycopy(cs, 0, c4, 4 - cs.length, cs.length);
            data = permuteNhwcToNchw(data, c4);
            dims = new long[]{c4[0], c4[3], c4[1], c4[2]};
        }
        String k = g.floats(hint(c.name()), data, dims);
        List<String> in = constFirst ? List.of(k, x.name()) : List.of(x.name(), k);
        return new Value(g.op(op, in), shape, x.nchw());
    }

    /** @return the NCHW copy of row-major NHWC {@code data} of shape {@code nhwc}. */
    static float[] permuteNhwcToNchw(float[] data, long[] nhwc) {
        int n = (int) nhwc[0], h = (int) nhwc[1], w = (int) nhwc[2], c = (int) nhwc[3];
        float[] out = new float[data.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[((i * c + ch) * h + y) * w + x] = data[((i * h + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return out;
    }

    static long[] broadcast(long[] a, long[] b, String where) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x == y || y == 1) {
                out[i] = x;
            } else if (x == 1) {
                out[i] = y;
            } else if (x < 0 || y < 0) {
                out[i] = Math.max(x, y) < 0 ? -1 : Math.max(x, y);
            } else {
                throw new TfjsFormatException(where + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- shape ops

    /** @return the concatenation along TF axis {@code axis} (already non-negative). */
    Value concat(List<Value> xs, int axis, String where) {
        int rank = xs.get(0).rank();
        boolean nchw = rank == 4;
        List<String> names = new ArrayList<>();
        long[] shape = xs.get(0).shape().clone();
        shape[axis] = 0;
        for (Value v : xs) {
            if (v.rank() != rank) {
                throw new TfjsFormatException(where + ": concatenates tensors of ranks " + rank + " and " + v.rank());
            }
            for (int i = 0; i < rank; i++) {
                if (i != axis && v.shape()[i] != xs.get(0).shape()[i] && v.shape()[i] >= 0 && shape[i] >= 0) {
                    throw new TfjsFormatException(where + ": shapes " + Arrays.toString(xs.get(0).shape()) + " and "
                            + Arrays.toString(v.shape()) + " differ off the concat axis " + axis);
                }
            }
            shape[axis] = shape[axis] < 0 || v.shape()[axis] < 0 ? -1 : shape[axis] + v.shape()[axis];
            names.add((nchw ? toNchw(v) : toTf(v)).name());
        }
        int onnx = nchw ? TF_TO_NCHW[axis] : axis;
        return new Value(g.op("Concat", names, intAttr("axis", onnx)), shape, nchw);
    }

    /**
     * Mean over TF axes ({@code keep} keeps them as size 1).
     * @param axes non-negative, distinct TF axes.
     */
    Value reduceMean(Value x, int[] axes, boolean keep) {
        long[] onnxAxes = Arrays.stream(axes).mapToLong(a -> onnxAxis(x, a)).toArray();
        String y = g.op("ReduceMean", List.of(x.name()), ints("axes", onnxAxes), intAttr("keepdims", keep ? 1 : 0));
        long[] shape = x.shape().clone();
        for (int a : axes) {
            shape[a] = 1;
        }
        return keep ? new Value(y, shape, x.nchw()) : dropAxes(x, y, axes);
    }

    /** @return {@code x} without its size-1 TF axes {@code axes}. */
    Value squeeze(Value x, int[] axes, String where) {
        for (int a : axes) {
            if (x.shape()[a] != 1) {
                throw new TfjsFormatException(where + ": squeezes axis " + a + " of size " + x.shape()[a]);
            }
        }
        long[] onnxAxes = Arrays.stream(axes).mapToLong(a -> onnxAxis(x, a)).toArray();
        String y = g.op("Squeeze", List.of(x.name(), g.longs(onnxAxes)));
        return dropAxes(x, y, axes);
    }

    /**
     * The value {@code y} that ONNX produced from {@code x} by removing {@code axes}: its remaining axes keep
     * ONNX's order, so an NCHW input may leave them out of TF order (e.g. [N, C, W] after removing H); a
     * Transpose restores TF order then.
     */
    private Value dropAxes(Value x, String y, int[] axes) {
        Set<Integer> removed = new HashSet<>();
        for (int a : axes) {
            removed.add(a);
        }
        List<Integer> order = new ArrayList<>(); // TF axes in the order ONNX holds them after removal
        for (int i = 0; i < x.rank(); i++) {
            int tfAxis = x.nchw() ? NCHW_ORDER[i] : i;
            if (!removed.contains(tfAxis)) {
                order.add(tfAxis);
            }
        }
        long[] shape = order.stream().sorted().mapToLong(a -> x.shape()[a]).toArray();
        List<Integer> sorted = order.stream().sorted().toList();
        if (order.equals(sorted)) {
            return new Value(y, shape, false);
        }
        long[] perm = sorted.stream().mapToLong(order::indexOf).toArray();
        return new Value(g.op("Transpose", List.of(y), ints("perm", perm)), shape, false);
    }

    /**
     * Reshape in TF element order (so an NCHW input is transposed back first).
     * @param target the TF target shape; one -1 allowed; 0 (empty) is not.
     */
    Value reshape(Value x, long[] target, String where) {
        Value in = toTf(x);
        long known = 1;
        int infer = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1 && infer < 0) {
                infer = i;
            } else if (target[i] <= 0) {
                throw new TfjsFormatException(where + ": unsupported reshape target " + Arrays.toString(target));
            } else {
                known *= target[i];
            }
        }
        long[] shape = target.clone();
        long total = 1;
        for (long d : in.shape()) {
            total = d < 0 || total < 0 ? -1 : total * d;
        }
        if (infer >= 0) {
            shape[infer] = total < 0 ? -1 : total / known;
        }
        if (total >= 0 && (infer >= 0 ? total % known != 0 : total != known)) {
            throw new TfjsFormatException(where + ": cannot reshape " + Arrays.toString(in.shape()) + " to "
                    + Arrays.toString(target));
        }
        if (total < 0 && infer < 0) {
            // the batch is symbolic: keep it symbolic in the target instead of baking in a number
            shape[0] = -1;
        }
        long[] onnxTarget = shape.clone();
        return new Value(g.op("Reshape", List.of(in.name(), g.longs(onnxTarget))), shape, false);
    }

    /** @return [N x (H*W*C)] in NHWC element order (Keras Flatten with channels_last). */
    Value flatten(Value x, String where) {
        long features = 1;
        for (int i = 1; i < x.rank(); i++) {
            if (x.shape()[i] < 0) {
                throw new TfjsFormatException(where + ": flatten needs static non-batch dimensions, got "
                        + Arrays.toString(x.shape()));
            }
            features *= x.shape()[i];
        }
        return reshape(x, new long[]{-1, features}, where);
    }

    private static void requireLength(float[] v, long n, String what, String where) {
        if (v.length != n) {
            throw new TfjsFormatException(where + ": " + what + " has " + v.length + " values, expected " + n);
        }
    }

    /** A short readable initializer stem from a weight name (its last two path parts). */
    private static String hint(String weightName) {
        String[] parts = weightName.split("/");
        String s = parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : weightName;
        return s.length() > 60 ? s.substring(s.length() - 60) : s;
    }
}
