package org.tribuo.usae.onnx.autodiff;

import ai.onnx.proto.OnnxMl;

import java.util.Map;

/**
 * Vector-Jacobian products of the elementwise operators (numpy broadcasting is undone with
 * {@link GraphEmitter#sumTo}). Masks use strict comparisons, so a kink (ReLU at 0, Clip at a bound) gets
 * gradient 0, as PyTorch does.
 */
final class ElementwiseRules {
    private ElementwiseRules() {
    }

    static void register(Map<String, Vjp> rules) {
        rules.put("Add", (g, need) -> binary(g, need, g.dy(), g.dy()));
        rules.put("Sub", (g, need) -> binary(g, need, g.dy(), need[1] ? g.emitter().op("Neg", g.dy()) : null));
        rules.put("Mul", (g, need) -> binary(g, need,
                need[0] ? g.emitter().op("Mul", g.dy(), g.in(1)) : null,
                need[1] ? g.emitter().op("Mul", g.dy(), g.in(0)) : null));
        rules.put("Div", (g, need) -> {
            // y = a / b: da = dy / b; db = -dy * a / b^2 = -(dy / b) * y.
            GraphEmitter e = g.emitter();
            String dyOverB = e.op("Div", g.dy(), g.in(1));
            return binary(g, need, dyOverB, need[1] ? e.op("Neg", e.op("Mul", dyOverB, g.out(0))) : null);
        });
        rules.put("Pow", (g, need) -> {
            if (need[1]) {
                throw g.unsupported("the exponent depends on the input (only constant exponents are supported)");
            }
            // y = x^p: dx = dy * p * x^(p-1).
            GraphEmitter e = g.emitter();
            String pm1 = e.op("Sub", g.in(1), e.scalar(1f));
            String d = e.op("Mul", e.op("Mul", g.dy(), g.in(1)), e.op("Pow", g.in(0), pm1));
            return binary(g, need, d, null);
        });
        rules.put("Sqrt", (g, need) -> one(g.emitter().op("Div", g.emitter().op("Mul", g.dy(),
                g.emitter().scalar(0.5f)), g.out(0))));
        rules.put("Sigmoid", (g, need) -> {
            GraphEmitter e = g.emitter();
            String oneMinusY = e.op("Sub", e.scalar(1f), g.out(0));
            return one(e.op("Mul", g.dy(), e.op("Mul", g.out(0), oneMinusY)));
        });
        rules.put("Tanh", (g, need) -> {
            GraphEmitter e = g.emitter();
            return one(e.op("Mul", g.dy(), e.op("Sub", e.scalar(1f), e.op("Mul", g.out(0), g.out(0)))));
        });
        rules.put("Exp", (g, need) -> one(g.emitter().op("Mul", g.dy(), g.out(0))));
        rules.put("Log", (g, need) -> one(g.emitter().op("Div", g.dy(), g.in(0))));
        rules.put("Neg", (g, need) -> one(g.emitter().op("Neg", g.dy())));
        rules.put("Identity", (g, need) -> one(g.dy()));
        rules.put("Erf", (g, need) -> {
            // d erf(x)/dx = 2/sqrt(pi) * exp(-x^2).
            GraphEmitter e = g.emitter();
            String expo = e.op("Exp", e.op("Neg", e.op("Mul", g.in(0), g.in(0))));
            return one(e.op("Mul", g.dy(), e.op("Mul", expo, e.scalar((float) (2 / Math.sqrt(Math.PI))))));
        });
        rules.put("Relu", (g, need) -> one(mask(g, g.emitter().op("Greater", g.in(0), g.emitter().scalar(0f)))));
        rules.put("Clip", ElementwiseRules::clip);
        rules.put("HardSigmoid", (g, need) -> {
            // y = clamp(alpha x + beta, 0, 1): dx = alpha dy where 0 < y < 1.
            GraphEmitter e = g.emitter();
            float alpha = g.floatAttr("alpha", 0.2f);
            String inside = e.op("And", e.op("Greater", g.out(0), e.scalar(0f)), e.op("Less", g.out(0), e.scalar(1f)));
            return one(e.op("Mul", mask(g, inside), e.scalar(alpha)));
        });
        rules.put("Cast", (g, need) -> {
            long to = g.intAttr("to", 0);
            if (to != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                throw g.unsupported("a cast to data type " + to + " on the differentiable path (only float32)");
            }
            return one(g.dy());
        });
    }

    private static String[] one(String d) {
        return new String[]{d};
    }

    /** dy where the boolean tensor {@code cond} holds, 0 elsewhere. */
    private static String mask(NodeGrad g, String cond) {
        GraphEmitter e = g.emitter();
        return e.op("Mul", g.dy(), e.op("Cast", cond, GraphEmitter.intAttr("to",
                OnnxMl.TensorProto.DataType.FLOAT.getNumber())));
    }

    /** Reduces each operand's full-shape gradient to the operand's shape. */
    private static String[] binary(NodeGrad g, boolean[] need, String da, String db) {
        long[] y = g.outShape();
        return new String[]{
                need[0] ? g.emitter().sumTo(da, y, g.inShape(0)) : null,
                need[1] ? g.emitter().sumTo(db, y, g.inShape(1)) : null};
    }

    private static String[] clip(NodeGrad g, boolean[] need) {
        if (g.emitter().opset() < 11) {
            throw g.unsupported("Clip before opset 11 (min/max as attributes)");
        }
        for (int i = 1; i < need.length; i++) {
            if (need[i]) {
                throw g.unsupported("a Clip bound depends on the input");
            }
        }
        GraphEmitter e = g.emitter();
        String cond = null;
        if (!g.in(1).isEmpty()) {
            cond = e.op("Greater", g.in(0), g.in(1));
        }
        if (!g.in(2).isEmpty()) {
            String upper = e.op("Less", g.in(0), g.in(2));
            cond = cond == null ? upper : e.op("And", cond, upper);
        }
        String[] out = new String[need.length];
        out[0] = cond == null ? g.dy() : mask(g, cond);
        return out;
    }
}
