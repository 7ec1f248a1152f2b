package org.tribuo.usae.onnx.autodiff;

import java.util.Arrays;
import java.util.Map;

/** Vector-Jacobian products of MatMul, Softmax and inference BatchNormalization. */
final class LinearRules {
    private LinearRules() {
    }

    static void register(Map<String, Vjp> rules) {
        rules.put("MatMul", LinearRules::matMul);
        rules.put("Softmax", LinearRules::softmax);
        rules.put("BatchNormalization", LinearRules::batchNorm);
    }

    /** Swaps the last two axes. */
    private static String transposeLast(GraphEmitter e, String t, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 1] = rank - 2;
        perm[rank - 2] = rank - 1;
        return e.op("Transpose", t, GraphEmitter.ints("perm", perm));
    }

    private static String[] matMul(NodeGrad g, boolean[] need) {
        long[] a = g.inShape(0);
        long[] b = g.inShape(1);
        long[] y = g.outShape();
        if (a.length < 2 || b.length < 2) {
            throw g.unsupported("a 1-D operand (shapes " + NodeGrad.str(a) + ", " + NodeGrad.str(b) + ")");
        }
        GraphEmitter e = g.emitter();
        String[] out = new String[2];
        long[] batch = Arrays.copyOf(y, y.length - 2);
        if (need[0]) {
            // dA = dY B^T, of shape batch x [M, K], summed to A's shape.
            String d = e.op("MatMul", g.dy(), transposeLast(e, g.in(1), b.length));
            out[0] = e.sumTo(d, concat(batch, a[a.length - 2], a[a.length - 1]), a);
        }
        if (need[1]) {
            // dB = A^T dY, of shape batch x [K, N].
            String d = e.op("MatMul", transposeLast(e, g.in(0), a.length), g.dy());
            out[1] = e.sumTo(d, concat(batch, b[b.length - 2], b[b.length - 1]), b);
        }
        return out;
    }

    private static long[] concat(long[] head, long p, long q) {
        long[] r = Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }

    private static String[] softmax(NodeGrad g, boolean[] need) {
        int rank = g.outShape().length;
        int axis = NodeGrad.axis(g.intAttr("axis", g.emitter().opset() >= 13 ? -1 : 1), rank);
        // Before opset 13 Softmax normalises over the flattened axes [axis, rank); from 13 over one axis.
        long[] axes;
        if (g.emitter().opset() >= 13) {
            axes = new long[]{axis};
        } else {
            axes = new long[rank - axis];
            for (int i = axis; i < rank; i++) {
                axes[i - axis] = i;
            }
        }
        // dx = y * (dy - sum(dy * y)).
        GraphEmitter e = g.emitter();
        String dot = e.reduceSumKeep(e.op("Mul", g.dy(), g.out(0)), axes);
        return new String[]{e.op("Mul", g.out(0), e.op("Sub", g.dy(), dot))};
    }

    private static String[] batchNorm(NodeGrad g, boolean[] need) {
        for (int i = 1; i < need.length; i++) {
            if (need[i]) {
                throw g.unsupported("a BatchNormalization parameter depends on the input");
            }
        }
        if (g.node().getOutputCount() > 1 && !g.node().getOutput(1).isEmpty()) {
            throw g.unsupported("training-mode BatchNormalization (running statistics as outputs)");
        }
        // Inference: y = scale (x - mean) / sqrt(var + eps) + B, so dx = dy * scale / sqrt(var + eps) per channel.
        long[] x = g.inShape(0);
        long[] perChannel = new long[x.length - 1];
        Arrays.fill(perChannel, 1);
        perChannel[0] = x[1];
        GraphEmitter e = g.emitter();
        String std = e.op("Sqrt", e.op("Add", g.in(4), e.scalar(g.floatAttr("epsilon", 1e-5f))));
        String factor = e.reshape(e.op("Div", g.in(1), std), perChannel);
        String[] out = new String[need.length];
        out[0] = e.op("Mul", g.dy(), factor);
        return out;
    }
}
