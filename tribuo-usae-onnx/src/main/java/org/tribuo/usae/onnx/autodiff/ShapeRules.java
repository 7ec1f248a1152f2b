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
                out[i] = e.op("Slice", java.util.List.of(g.dy(), e.longs(start), e.longs(start + len), e.longs(axis)));
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
        out[0] = e.op("Pad", java.util.List.of(g.dy(), e.longs(pads), e.scalar(0f)));
        return out;
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
