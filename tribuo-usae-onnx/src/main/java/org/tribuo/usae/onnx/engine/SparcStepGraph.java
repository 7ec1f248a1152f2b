package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.ModelParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits one SPARC-shaped training step (every model is a source and every model is updated): the
 * mathematics of {@code CpuTrainingStep} for AFFINE encoders, a sparsity with a mask emitter ({@link SparsityMasks}:
 * SPARC's GLOBAL_TOPK, or ALIGNED's TOPK per model), a unit-norm dictionary
 * used as is, NMSE, cross terms and dead-latent AuxK, then what {@code ParameterUpdate} does for
 * every model: renormalise dictionary rows and project the gradient, optional clipping, AdamW.
 *
 * <p>With M models, {@code b_s} the tied pre/decoder bias and {@code nmse(E, Y) = mean_rows |E_n|^2 / |Y_n|^2}:
 * <pre>
 * Pre_s = (X_s - b_s) W_s^T + c_s;  mask_s = the sparsity's 0/1 mask;  Z_s = relu(Pre_s) mask_s
 *   (GLOBAL_TOPK: mask_s = TopK_k(sum_s Pre_s), shared; TOPK: mask_s = TopK_k(relu(Pre_s)))
 * recon = sum_{s,t} w_st nmse(X_t - (Z_s D_t + b_t), X_t)    w_ss = 1/M, w_st = lambda / (M (M - 1))
 * dead_s = latents not firing in this batch whose counter + 1 exceeds deadSteps (counters carried)
 * A_s = relu(Pre_s dead_s) at its top auxK;  T_s = X_s - (Z_s D_s + b_s) + b_s   (a constant: detached)
 * aux = sum_s (auxWeight / M) nmse(A_s D_s + b_s - T_s, T_s)
 * </pre>
 */
final class SparcStepGraph {
    private final GraphBuilder g;
    private final StepSettings c;
    private final StepOps ops;

    private SparcStepGraph(GraphBuilder g, StepSettings c) {
        this.g = g;
        this.c = c;
        this.ops = new StepOps(g, c);
    }

    /**
     * @param g     the graph (the loop body) to emit into.
     * @param c     constants.
     * @param state per model, state key to the value before the step.
     * @param x     per model, the step's standardised batch {@code [rows x d]}.
     * @param adam  the step's AdamW scalars: decay, stepSize, invBc2Sqrt.
     * @return the step's values.
     */
    static StepValues emit(GraphBuilder g, StepSettings c, List<Map<String, String>> state, String[] x,
                                             String[] adam) {
        return new SparcStepGraph(g, c).step(state, x, adam);
    }

    private StepValues step(List<Map<String, String>> state, String[] x, String[] adam) {
        int n = c.numModels();
        int m = c.numLatents();
        int rows = c.rows();
        String[] input = new String[n];
        String[] pre = new String[n];
        for (int s = 0; s < n; s++) {
            Map<String, String> p = state.get(s);
            input[s] = g.sub(x[s], p.get(ModelParameters.INPUT_BIAS));
            pre[s] = g.gemmBiasTransB(input[s], p.get(ModelParameters.ENC_WEIGHT), p.get(ModelParameters.ENC_BIAS));
        }
        String[] mask = SparsityMasks.of(c.architecture().sparsityBlock()).masks(ops, pre, c.k());
        String[] z = new String[n];
        String[] fired = new String[n];
        String[] auxCodes = new String[n];
        String[] auxPass = new String[n];
        List<Map<String, String>> next = new ArrayList<>();
        List<String> positives = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            z[s] = g.mul(g.relu(pre[s]), mask[s]);
            fired[s] = ops.fired(z[s]);
            positives.add(g.reduceSum(g.greaterAsFloat(z[s], g.scalar(0f)), false));
            next.add(new LinkedHashMap<>());
            if (c.deadAuxK()) {
                // SPARC: a latent's counter becomes 1 where it fired in this batch, else counts up
                String counters = g.op("Where", "counters", List.of(g.op("Greater", "gt", List.of(fired[s], g.scalar(0f))),
                        g.scalar(1f), g.add(state.get(s).get(StateLayout.STEPS_SINCE_FIRED), g.scalar(1f))));
                next.get(s).put(StateLayout.STEPS_SINCE_FIRED, counters);
                String dead = g.greaterAsFloat(counters, g.scalar((float) c.objective().deadSteps()));
                String candidates = g.mul(pre[s], dead);
                String auxMask = ops.topKMask(candidates, Math.min(c.objective().auxK(), m));
                auxCodes[s] = g.mul(g.relu(candidates), auxMask);
                auxPass[s] = g.mul(auxMask, g.greaterAsFloat(candidates, g.scalar(0f)));
            }
        }
        // ---- reconstruction terms (all sources x all targets)
        List<String> reconTerms = new ArrayList<>();
        List<List<String>> gZ = new ArrayList<>();
        List<List<String>> gDict = new ArrayList<>();
        List<List<String>> gBias = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            gZ.add(new ArrayList<>());
            gDict.add(new ArrayList<>());
            gBias.add(new ArrayList<>());
        }
        String[] selfResidual = new String[n];
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < n; t++) {
                double w = s == t ? 1.0 / n : c.objective().crossWeight() / ((double) n * (n - 1));
                if (w == 0) {
                    continue;
                }
                String dict = state.get(t).get(ModelParameters.DICTIONARY);
                String bias = state.get(t).get(ModelParameters.INPUT_BIAS);
                String res = g.sub(x[t], g.add(g.op("MatMul", "xhat", List.of(z[s], dict)), bias));
                if (s == t) {
                    selfResidual[s] = res;
                }
                String[] lossAndGrad = nmse(res, x[t], w);
                reconTerms.add(lossAndGrad[0]);
                String gXhat = g.neg(lossAndGrad[1]);                   // Res = X - xhat
                gZ.get(s).add(g.gemm(gXhat, dict, false, true));
                gDict.get(t).add(g.gemm(z[s], gXhat, true, false));
                gBias.get(t).add(ops.columnSums(gXhat));
            }
        }
        String recon = ops.sum(reconTerms);
        // ---- AuxK: dead latents reconstruct the detached self residual
        String aux = g.scalar(0f);
        List<String> gAux = new ArrayList<>();
        if (c.deadAuxK()) {
            List<String> auxTerms = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                String dict = state.get(s).get(ModelParameters.DICTIONARY);
                String bias = state.get(s).get(ModelParameters.INPUT_BIAS);
                String target = g.add(selfResidual[s], bias);
                String e = g.sub(g.add(g.op("MatMul", "auxhat", List.of(auxCodes[s], dict)), bias), target);
                String[] lossAndGrad = nmse(e, target, c.objective().auxWeight() / n);
                auxTerms.add(lossAndGrad[0]);
                gAux.add(g.gemm(lossAndGrad[1], dict, false, true));
                gDict.get(s).add(g.gemm(auxCodes[s], lossAndGrad[1], true, false));
                gBias.get(s).add(ops.columnSums(lossAndGrad[1]));
            }
            aux = ops.sum(auxTerms);
        }
        // ---- encoders, then every model's update
        for (int s = 0; s < n; s++) {
            Map<String, String> p = state.get(s);
            String gPre = g.mul(ops.sum(gZ.get(s)), g.mul(mask[s], g.greaterAsFloat(pre[s], g.scalar(0f))));
            if (c.deadAuxK()) {
                gPre = g.add(gPre, g.mul(gAux.get(s), auxPass[s]));
            }
            Map<String, String> grads = new LinkedHashMap<>();
            grads.put(ModelParameters.ENC_WEIGHT, g.gemm(gPre, input[s], true, false));
            String gLatentBias = g.reduceSum(gPre, true, 0);                              // [1 x m]
            grads.put(ModelParameters.ENC_BIAS, g.reduceSum(gLatentBias, false, 0));
            // d(X - b)/db = -1: the pre-bias gets -colsum(gPre) W, plus its decoder-bias terms
            String gPreBias = g.reduceSum(g.gemm(gLatentBias, p.get(ModelParameters.ENC_WEIGHT), false, false), false, 0);
            gBias.get(s).add(g.neg(gPreBias));
            grads.put(ModelParameters.INPUT_BIAS, ops.sum(gBias.get(s)));
            // ParameterUpdate: rows to unit norm, then remove each row gradient's component along its row
            String dict = p.get(ModelParameters.DICTIONARY);
            String unit = g.mul(dict, g.div(g.scalar(1f), g.add(ops.rowNorm(dict), g.scalar(1e-8f))));
            String gD = ops.sum(gDict.get(s));
            grads.put(ModelParameters.DICTIONARY, g.sub(gD, g.mul(g.reduceSum(g.mul(unit, gD), true, 1), unit)));
            if (c.gradClip() > 0) {
                ops.clip(grads);
            }
            for (String tensor : StateLayout.trainable(c.architecture())) {
                String value = tensor.equals(ModelParameters.DICTIONARY) ? unit : p.get(tensor);
                ops.adamW(tensor, value, p, grads.get(tensor), adam, next.get(s));
            }
        }
        String loss = g.add(recon, aux);
        String meanL0 = g.div(ops.sum(positives), g.scalar((float) rows * n));
        return new StepValues(next, loss, recon, aux, meanL0, ops.firingMatrix(fired));
    }

    /**
     * NMSE with weight w and its gradient: {@code loss = sum_n w |E_n|^2 / (rows |Y_n|^2)},
     * {@code dloss/dE = 2 w E_n / (rows |Y_n|^2)}.
     * @return {loss, gradient}.
     */
    private String[] nmse(String e, String reference, double w) {
        String den = g.reduceSum(g.mul(reference, reference), true, 1);                   // [rows x 1]
        String rowScale = g.div(g.scalar((float) (w / c.rows())), den);
        String loss = g.reduceSum(g.mul(g.reduceSum(g.mul(e, e), true, 1), rowScale), false);
        String grad = g.mul(e, g.mul(rowScale, g.scalar(2f)));
        return new String[]{loss, grad};
    }
}
