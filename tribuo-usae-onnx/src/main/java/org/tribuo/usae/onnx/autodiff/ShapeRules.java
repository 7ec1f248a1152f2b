package org.tribuo.usae.onnx.autodiff;

import java.util.Arrays;
import java.util.Map;

/** Vector-Jacobian products of the operators that move, cut, join or average elements. */
final class ShapeRules {
    private ShapeRules() {
    }

    static void register(Map<String, Vjp> rules) {
        Vjp reshapeBack = (g, need) -> first(g, g.emitter().reshape(g.dy(), g.inShape(0)));
        for (String op : new String[]{"Reshape", "Squeeze", "Unsqueeze", "Flatten"}) {
            rules.put(op, reshapeBack);
        }
        rules.put("Transpose", (g, need) -> {
            int r = g.inShape(0).length;
            long[] perm = g.intsAttr("perm");
            if (perm == null) {
                perm = new long[r];
                for (int i = 0; i < r; i++) {
                    perm[i] = r - 1 - i;
                }
            }
            long[] inverse = new long[r];
            for (int i = 0; i < r; i++) {
                inverse[(int) perm[i]] = i;
            }
            return first(g, g.emitter().op("Transpose", g.dy(), GraphEmitter.ints("perm", inverse)));
        });
        rules.put("Concat", ShapeRules::concat);
        rules.put("Slice", ShapeRules::slice);
        rules.put("Pad", ShapeRules::pad);
        rules.put("ReduceMean", ShapeRules::reduceMean);
        rules.put("GlobalAveragePool", (g, need) -> {
            long[] x = g.inShape(0);
            long area = 1;
            for (int i = 2; i < x.length; i++) {
                area *= x[i];
            }
            GraphEmitter e = g.emitter();
            String spread = e.op("Expand", g.dy(), e.longs(x));
            return first(g, e.op("Mul", spread, e.scalar(1f / area)));
        });
    }

    private static String[] first(NodeGrad g, String d) {
        String[] out = new String[g.node().getInputCount()];
        out[0] = d;
        return out;
    }

    private static String[] concat(NodeGrad g, boolean[] need) {
        int rank = g.outShape().length;
        int axis = NodeGrad.axis(g.intAttr("axis", 0), rank);
        String[] out = new String[need.length];
        long start = 0;
        GraphEmitter e = g.emitter();
        for (int i = 0; i < need.length; i++) {
            long len = g.inShape(i)[axis];
            if (need[i]) {
                out[i] = e.slice(g.dy(), new long[]{start}, new long[]{start + len}, new long[]{axis});
            }
            start += len;
        }
        return out;
    }

    private static String[] slice(NodeGrad g, boolean[] need) {
        if (g.emitter().opset() < 10) {
            throw g.unsupported("Slice before opset 10 (starts/ends as attributes)");
        }
        long[] x = g.inShape(0);
        int rank = x.length;
        long[] starts = g.probe().values(g.in(1));
        long[] ends = g.probe().values(g.in(2));
        long[] axes = g.in(3).isEmpty() ? null : g.probe().values(g.in(3));
        long[] steps = g.in(4).isEmpty() ? null : g.probe().values(g.in(4));
        long[] pads = new long[2 * rank];
        for (int i = 0; i < starts.length; i++) {
            int a = axes == null ? i : NodeGrad.axis(axes[i], rank);
            if (steps != null && steps[i] != 1) {
                throw g.unsupported("step " + steps[i] + " on axis " + a + " (only step 1)");
            }
            long dim = x[a];
            long s = clamp(starts[i] < 0 ? starts[i] + dim : starts[i], dim);
            long en = clamp(ends[i] < 0 ? ends[i] + dim : ends[i], dim);
            pads[a] = s;
            pads[rank + a] = dim - Math.max(s, en);
        }
        long[] y = g.outShape();
        for (int a = 0; a < rank; a++) {
            if (x[a] - pads[a] - pads[rank + a] != y[a]) {
                throw g.unsupported("slice bounds give " + NodeGrad.str(y) + " from " + NodeGrad.str(x)
                        + " but pads " + Arrays.toString(pads) + " disagree");
            }
        }
        GraphEmitter e = g.emitter();
        String[] out = new String[need.length];
        out[0] = e.pad(g.dy(), pads, 0f);
        return out;
    }

    /**
     * Constant-mode Pad, {@code x [d_0 .. d_r-1] -> y [d_a + begin_a + end_a]}: y holds x at offset {@code begin}
     * and the constant elsewhere, so {@code dx} is the window of {@code dy} where x sits. A negative pad crops x;
     * there {@code dx} is {@code dy} padded back with zeros (the cropped elements do not reach y). So: Slice off
     * the positive pads, then zero-Pad the negative ones. The pads come from the {@code pads} attribute (opset &lt;
     * 11) or the int64 {@code pads} input with optional {@code axes} (opset 18), whose values the probe knows.
     * Reflect, edge and wrap modes would send the mirrored elements' gradients back to their sources: not built.
     */
    private static String[] pad(NodeGrad g, boolean[] need) {
        String mode = g.stringAttr("mode", "constant");
        if (!mode.equals("constant")) {
            throw g.unsupported("mode=" + mode + " (only constant padding)");
        }
        for (int i = 1; i < need.length; i++) {
            if (need[i]) {
                throw g.unsupported("the pads or the padding value depend on the input");
            }
        }
        long[] x = g.inShape(0);
        int rank = x.length;
        long[] given = g.emitter().opset() < 11 ? g.intsAttr("pads") : g.probe().values(g.in(1));
        if (given == null) {
            throw g.unsupported("no pads attribute");
        }
        long[] axes = g.in(3).isEmpty() ? null : g.probe().values(g.in(3));
        int count = axes == null ? rank : axes.length;
        if (given.length != 2 * count) {
            throw g.unsupported(given.length + " pads for " + count + " axes");
        }
        long[] begin = new long[rank];
        long[] end = new long[rank];
        for (int i = 0; i < count; i++) {
            int a = axes == null ? i : NodeGrad.axis(axes[i], rank);
            begin[a] = given[i];
            end[a] = given[count + i];
        }
        long[] y = g.outShape();
        long[] sliceStart = new long[rank];
        long[] sliceEnd = new long[rank];
        long[] zeroPads = new long[2 * rank];
        boolean slices = false;
        boolean pads = false;
        for (int a = 0; a < rank; a++) {
            if (x[a] + begin[a] + end[a] != y[a]) {
                throw g.unsupported("pads " + Arrays.toString(given) + " give " + NodeGrad.str(y) + " from "
                        + NodeGrad.str(x) + " on axis " + a);
            }
            sliceStart[a] = Math.max(begin[a], 0);
            sliceEnd[a] = y[a] - Math.max(end[a], 0);
            zeroPads[a] = Math.max(-begin[a], 0);
            zeroPads[rank + a] = Math.max(-end[a], 0);
            slices |= begin[a] > 0 || end[a] > 0;
            pads |= begin[a] < 0 || end[a] < 0;
        }
        GraphEmitter e = g.emitter();
        String d = g.dy();
        if (slices) {
            long[] all = new long[rank];
            for (int a = 0; a < rank; a++) {
                all[a] = a;
            }
            d = e.slice(d, sliceStart, sliceEnd, all);
        }
        if (pads) {
            d = e.pad(d, zeroPads, 0f);
        }
        return first(g, d);
    }

    private static long clamp(long v, long dim) {
        return Math.max(0, Math.min(dim, v));
    }

    private static String[] reduceMean(NodeGrad g, boolean[] need) {
        long[] x = g.inShape(0);
        int rank = x.length;
        long[] axes;
        if (g.emitter().opset() >= 18) {
            axes = g.in(1).isEmpty() ? null : g.probe().values(g.in(1));
        } else {
            axes = g.intsAttr("axes");
        }
        long[] kept = x.clone();
        long count = 1;
        for (int a = 0; a < rank; a++) {
            boolean reduced = axes == null;
            if (axes != null) {
                for (long ax : axes) {
                    reduced |= NodeGrad.axis(ax, rank) == a;
                }
            }
            if (reduced) {
                kept[a] = 1;
                count *= x[a];
            }
        }
        GraphEmitter e = g.emitter();
        String spread = e.op("Expand", e.reshape(g.dy(), kept), e.longs(x));
        return first(g, e.op("Mul", spread, e.scalar(1f / count)));
    }
}
