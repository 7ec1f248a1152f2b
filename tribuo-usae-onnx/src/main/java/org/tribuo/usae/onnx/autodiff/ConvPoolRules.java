package org.tribuo.usae.onnx.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Vector-Jacobian products of Conv and the pools, all as ConvTranspose: the input gradient of a convolution is
 * the transposed convolution of the output gradient with the same weights (asymmetric pads included:
 * ConvTranspose crops the same pads off its output); an average pool is a depthwise convolution with a constant
 * kernel, preceded by a per-window rescaling where border windows average fewer elements; a max pool routes each
 * output gradient to the window position that holds the maximum, one kernel offset at a time (a one-hot
 * depthwise kernel per offset).
 */
final class ConvPoolRules {
    private ConvPoolRules() {
    }

    static void register(Map<String, Vjp> rules) {
        rules.put("Conv", ConvPoolRules::conv);
        rules.put("AveragePool", ConvPoolRules::averagePool);
        rules.put("MaxPool", ConvPoolRules::maxPool);
    }

    /** Window geometry of one conv/pool node, defaults filled in. */
    private record Window(long[] kernel, long[] strides, long[] pads, long[] dilations) {
        static Window of(NodeGrad g, long[] kernel) {
            int n = kernel.length;
            String autoPad = g.stringAttr("auto_pad", "NOTSET");
            if (!autoPad.equals("NOTSET")) {
                throw g.unsupported("auto_pad=" + autoPad + " (only explicit pads)");
            }
            return new Window(kernel, orOnes(g.intsAttr("strides"), n),
                    g.intsAttr("pads") == null ? new long[2 * n] : g.intsAttr("pads"), orOnes(g.intsAttr("dilations"), n));
        }

        private static long[] orOnes(long[] v, int n) {
            if (v != null) {
                return v;
            }
            long[] ones = new long[n];
            Arrays.fill(ones, 1);
            return ones;
        }

        /** Output padding that makes ConvTranspose give back the input's spatial size. */
        long[] outputPadding(NodeGrad g, long[] x, long[] y) {
            int n = kernel.length;
            long[] op = new long[n];
            for (int i = 0; i < n; i++) {
                long base = strides[i] * (y[i + 2] - 1) + dilations[i] * (kernel[i] - 1) + 1 - pads[i] - pads[i + n];
                op[i] = x[i + 2] - base;
                if (op[i] < 0 || op[i] >= Math.max(strides[i], dilations[i])) {
                    throw g.unsupported("output " + NodeGrad.str(y) + " is not the floor-mode size for input "
                            + NodeGrad.str(x) + " (ceil_mode or odd padding)");
                }
            }
            return op;
        }

        List<ai.onnx.proto.OnnxMl.AttributeProto> attrs(long group, long[] outputPadding) {
            return List.of(GraphEmitter.ints("strides", strides), GraphEmitter.ints("pads", pads),
                    GraphEmitter.ints("dilations", dilations), GraphEmitter.intAttr("group", group),
                    GraphEmitter.ints("output_padding", outputPadding), GraphEmitter.ints("kernel_shape", kernel));
        }
    }

    private static String convTranspose(GraphEmitter e, String dy, String w, Window win, long group, long[] op) {
        return e.op("ConvTranspose", List.of(dy, w), win.attrs(group, op)
                .toArray(new ai.onnx.proto.OnnxMl.AttributeProto[0]));
    }

    private static String[] conv(NodeGrad g, boolean[] need) {
        if (need.length > 1 && need[1] || need.length > 2 && need[2]) {
            throw g.unsupported("the weights or bias depend on the input (only data gradients)");
        }
        long[] w = g.inShape(1);
        Window win = Window.of(g, Arrays.copyOfRange(w, 2, w.length));
        long group = g.intAttr("group", 1);
        long[] op = win.outputPadding(g, g.inShape(0), g.outShape());
        String[] out = new String[need.length];
        out[0] = convTranspose(g.emitter(), g.dy(), g.in(1), win, group, op);
        return out;
    }

    /**
     * AveragePool {@code x [N, C, *X] -> y [N, C, *Y]}: {@code y[o] = sum of x over window o / divisor[o]}, so
     * {@code dx} is the transposed depthwise convolution, with a kernel of ones, of {@code dy / divisor}. The
     * divisor is the kernel area, except with {@code count_include_pad=0} (TF's SAME average pooling), where each
     * window divides by its own count of elements inside x: fewer at the borders. That count depends only on
     * the output position, so it is a constant {@code [1, 1, *Y]} built here (shapes are static).
     */
    private static String[] averagePool(NodeGrad g, boolean[] need) {
        Window win = Window.of(g, g.intsAttr("kernel_shape"));
        long[] x = g.inShape(0);
        long[] y = g.outShape();
        long[] op = win.outputPadding(g, x, y);
        long area = Arrays.stream(win.kernel()).reduce(1, Math::multiplyExact);
        GraphEmitter e = g.emitter();
        String scaled;
        float[] kernel = new float[(int) (x[1] * area)];
        if (g.intAttr("count_include_pad", 0) == 0 && Arrays.stream(win.pads()).anyMatch(p -> p != 0)) {
            Arrays.fill(kernel, 1f);
            long[] divisorShape = new long[y.length];
            divisorShape[0] = 1;
            divisorShape[1] = 1;
            System.arraycopy(y, 2, divisorShape, 2, y.length - 2);
            scaled = e.op("Mul", g.dy(), e.floats("avgpool_reciprocal_count", reciprocalCounts(win, x, y),
                    divisorShape));
        } else {
            Arrays.fill(kernel, 1f / area);
            scaled = g.dy();
        }
        String w = e.floats(kernel, depthwiseShape(x[1], win.kernel()));
        return new String[]{convTranspose(e, scaled, w, win, x[1], op)};
    }

    /**
     * @return {@code [*Y]} row-major: 1 / (the number of elements of window o that lie inside x), the product
     * over spatial axes of each axis's count of window taps {@code o * stride - pad_begin + j * dilation} in
     * {@code [0, x)}.
     */
    private static float[] reciprocalCounts(Window win, long[] x, long[] y) {
        int n = win.kernel().length;
        long[][] perAxis = new long[n][];
        int total = 1;
        for (int a = 0; a < n; a++) {
            perAxis[a] = new long[(int) y[a + 2]];
            for (int o = 0; o < y[a + 2]; o++) {
                for (long j = 0; j < win.kernel()[a]; j++) {
                    long at = o * win.strides()[a] - win.pads()[a] + j * win.dilations()[a];
                    if (at >= 0 && at < x[a + 2]) {
                        perAxis[a][o]++;
                    }
                }
            }
            total *= (int) y[a + 2];
        }
        float[] r = new float[total];
        for (int flat = 0; flat < total; flat++) {
            long count = 1;
            int rest = flat;
            for (int a = n - 1; a >= 0; a--) {
                count *= perAxis[a][rest % perAxis[a].length];
                rest /= perAxis[a].length;
            }
            r[flat] = 1f / count;
        }
        return r;
    }

    private static long[] depthwiseShape(long channels, long[] kernel) {
        long[] s = new long[2 + kernel.length];
        s[0] = channels;
        s[1] = 1;
        System.arraycopy(kernel, 0, s, 2, kernel.length);
        return s;
    }

    private static String[] maxPool(NodeGrad g, boolean[] need) {
        Window win = Window.of(g, g.intsAttr("kernel_shape"));
        if (Arrays.stream(win.dilations()).anyMatch(d -> d != 1)) {
            throw g.unsupported("dilations " + Arrays.toString(win.dilations()));
        }
        if (g.intAttr("storage_order", 0) != 0) {
            throw g.unsupported("storage_order=1");
        }
        long[] x = g.inShape(0);
        long[] y = g.outShape();
        int n = win.kernel().length;
        long[] op = win.outputPadding(g, x, y);
        GraphEmitter e = g.emitter();
        String padded = g.in(0);
        if (Arrays.stream(win.pads()).anyMatch(p -> p != 0)) {
            long[] pads = new long[2 * (n + 2)];
            for (int i = 0; i < n; i++) {
                pads[2 + i] = win.pads()[i];
                pads[n + 2 + 2 + i] = win.pads()[n + i];
            }
            padded = e.pad(g.in(0), pads, Float.NEGATIVE_INFINITY);
        }
        long area = Arrays.stream(win.kernel()).reduce(1, Math::multiplyExact);
        long[] axes = new long[n];
        for (int i = 0; i < n; i++) {
            axes[i] = i + 2;
        }
        List<String> parts = new ArrayList<>();
        for (long flat = 0; flat < area; flat++) {
            long[] off = new long[n];
            long rest = flat;
            for (int i = n - 1; i >= 0; i--) {
                off[i] = rest % win.kernel()[i];
                rest /= win.kernel()[i];
            }
            long[] ends = new long[n];
            for (int i = 0; i < n; i++) {
                ends[i] = off[i] + win.strides()[i] * (y[i + 2] - 1) + 1;
            }
            // The input element at this offset of every window, [N, C, *Y spatial]; it gets the window's gradient
            // where it equals the window's maximum (ties share it, a set of measure zero for real inputs).
            String atOffset = e.op("Slice", List.of(padded, e.longs(off), e.longs(ends), e.longs(axes),
                    e.longs(win.strides())));
            String hit = e.op("Cast", e.op("Equal", atOffset, g.out(0)), GraphEmitter.intAttr("to", 1));
            float[] oneHot = new float[(int) (x[1] * area)];
            for (int c = 0; c < x[1]; c++) {
                oneHot[(int) (c * area + flat)] = 1f;
            }
            String w = e.floats(oneHot, depthwiseShape(x[1], win.kernel()));
            parts.add(convTranspose(e, e.op("Mul", g.dy(), hit), w, win, x[1], op));
        }
        String[] out = new String[need.length];
        out[0] = parts.size() == 1 ? parts.get(0) : e.op("Sum", parts);
        return out;
    }
}
