package org.tribuo.usae.onnx.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Graph pieces the training step uses: TopK masks, row norms, per-model clipping, PyTorch's AdamW,
 * sums and the per-model firing matrix. Each method emits ONNX nodes into one graph.
 */
final class StepOps {
    private final GraphBuilder g;
    private final StepSettings c;

    StepOps(GraphBuilder g, StepSettings c) {
        this.g = g;
        this.c = c;
    }

    /** @return the graph these pieces are emitted into. */
    GraphBuilder graph() {
        return g;
    }

    /** @return latents m. */
    int numLatents() {
        return c.numLatents();
    }

    /** @return rows per step. */
    int rows() {
        return c.rows();
    }

    /** @param v a value. @return {@code max(v, 0)}. */
    String relu(String v) {
        return g.relu(v);
    }

    /** {@code [rows x m]} 1 at each row's {@code count} largest entries, else 0 (ties to the lower index). */
    String topKMask(String values, int count) {
        String idx = g.ops("TopK", "topk", 2, List.of(values, g.longs(count)), GraphBuilder.intAttr("axis", 1)).get(1);
        return g.op("ScatterElements", "mask", List.of(g.filled(0f, c.rows(), c.numLatents()), idx,
                g.filled(1f, c.rows(), count)), GraphBuilder.intAttr("axis", 1));
    }

    /**
     * {@code [rows x m]} 1 at the {@code count} largest entries of the whole batch, else 0: TopK over the flattened
     * values, so equal values go to the lower row-major index, as {@code BatchTopKSparsity} keeps them.
     */
    String batchTopKMask(String values, long count) {
        long total = (long) c.rows() * c.numLatents();
        String flat = g.op("Reshape", "flat", List.of(values, g.longs(1, total)));
        String idx = g.ops("TopK", "topk", 2, List.of(flat, g.longs(count)), GraphBuilder.intAttr("axis", 1)).get(1);
        String mask = g.op("ScatterElements", "mask", List.of(g.filled(0f, 1, total), idx, g.filled(1f, 1, count)),
                GraphBuilder.intAttr("axis", 1));
        return g.op("Reshape", "mask", List.of(mask, g.longs(c.rows(), c.numLatents())));
    }

    /**
     * NMSE with weight w and its gradient: {@code loss = sum_n w |E_n|^2 / (rows |Y_n|^2)},
     * {@code dloss/dE = 2 w E_n / (rows |Y_n|^2)}.
     * @return {loss, gradient}.
     */
    String[] nmse(String e, String reference, double w) {
        String den = g.reduceSum(g.mul(reference, reference), true, 1);                   // [rows x 1]
        String rowScale = g.div(g.scalar((float) (w / c.rows())), den);
        String loss = g.reduceSum(g.mul(g.reduceSum(g.mul(e, e), true, 1), rowScale), false);
        String grad = g.mul(e, g.mul(rowScale, g.scalar(2f)));
        return new String[]{loss, grad};
    }

    /**
     * Dead-latent AuxK's selection for one source (SPARC; Gao et al.): a latent's counter becomes 1 where it fired
     * in this batch, else counts up; latents whose counter exceeds deadSteps are dead; the top auxK of
     * {@code Pre} over the dead latents are the aux codes.
     * @param pre {@code [rows x m]} the source's pre-activations.
     * @param fired {@code [m]} its firing this step.
     * @param counters {@code [m]} its counters before the step.
     * @return {the counters after the step, the aux codes {@code [rows x m]}, the 0/1 {@code [rows x m]} where the aux
     *     codes pass gradient}.
     */
    String[] deadAuxK(String pre, String fired, String counters) {
        String next = g.op("Where", "counters", List.of(g.op("Greater", "gt", List.of(fired, g.scalar(0f))),
                g.scalar(1f), g.add(counters, g.scalar(1f))));
        String dead = g.greaterAsFloat(next, g.scalar((float) c.objective().deadSteps()));
        String candidates = g.mul(pre, dead);
        String auxMask = topKMask(candidates, Math.min(c.objective().auxK(), c.numLatents()));
        return new String[]{next, g.mul(relu(candidates), auxMask),
                g.mul(auxMask, g.greaterAsFloat(candidates, g.scalar(0f)))};
    }

    /** {@code [m x 1]} L2 norm of each row. */
    String rowNorm(String dict) {
        return g.sqrt(g.reduceSum(g.mul(dict, dict), true, 1));
    }

    /** Column sums {@code [n]} of a {@code [rows x n]} value. */
    String columnSums(String v) {
        return g.reduceSum(v, false, 0);
    }

    /** torch.nn.utils.clip_grad_norm_ over one model's gradients: scale by min(1, clip / (norm + 1e-6)). */
    void clip(Map<String, String> grads) {
        List<String> squares = new ArrayList<>();
        for (String v : grads.values()) {
            squares.add(g.reduceSum(g.mul(v, v), false));
        }
        String norm = g.sqrt(sum(squares));
        String coef = g.div(g.scalar((float) c.gradClip()), g.add(norm, g.scalar(1e-6f)));
        String scale = g.op("Min", "min", List.of(coef, g.scalar(1f)));
        grads.replaceAll((name, v) -> g.mul(v, scale));
    }

    /**
     * PyTorch AdamW on one tensor: {@code p *= decay; m += (g - m)(1 - b1); v = v b2 + (1 - b2) g g;
     * p -= stepSize m / (sqrt(v) invBc2 + eps)}; writes the tensor and its moments into {@code out}.
     * @param param the tensor's current value (it may differ from {@code state}'s, e.g. renormalised).
     * @param adam the step's decay, stepSize, invBc2Sqrt scalars.
     */
    void adamW(String tensor, String param, Map<String, String> state, String grad, String[] adam,
               Map<String, String> out) {
        String m1 = state.get(tensor + ".exp_avg");
        String v1 = state.get(tensor + ".exp_avg_sq");
        String decayed = c.weightDecay() != 0 ? g.mul(param, adam[0]) : param;
        String m = g.add(m1, g.mul(g.sub(grad, m1), g.scalar((float) (1 - c.beta1()))));
        String v = g.add(g.mul(v1, g.scalar((float) c.beta2())), g.mul(g.mul(g.scalar((float) (1 - c.beta2())), grad), grad));
        String denom = g.add(g.mul(g.sqrt(v), adam[2]), g.scalar((float) c.eps()));
        out.put(tensor, g.sub(decayed, g.mul(adam[1], g.div(m, denom))));
        out.put(tensor + ".exp_avg", m);
        out.put(tensor + ".exp_avg_sq", v);
    }

    /** {@code [m]} 1 where some row of the codes exceeds the fire threshold. */
    String fired(String codes) {
        return g.reduceMax(g.greaterAsFloat(codes, g.scalar((float) c.objective().fireThreshold())), false, 0);
    }

    /** {@code [M x m]} firing matrix: row j is {@code firedByModel[j]}, or zeros when null (not a source). */
    String firingMatrix(String[] firedByModel) {
        List<String> rows = new ArrayList<>();
        for (String f : firedByModel) {
            rows.add(f == null ? g.filled(0f, 1, c.numLatents())
                    : g.op("Unsqueeze", "row", List.of(f, g.longs(0))));
        }
        return rows.size() == 1 ? rows.get(0) : g.op("Concat", "fired", rows, GraphBuilder.intAttr("axis", 0));
    }

    String sum(List<String> terms) {
        String acc = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            acc = g.add(acc, terms.get(i));
        }
        return acc;
    }
}
