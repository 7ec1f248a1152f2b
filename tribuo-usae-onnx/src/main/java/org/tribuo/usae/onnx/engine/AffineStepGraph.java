package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.ModelParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits one training step of affine-encoder recipes (SPARC, ALIGNED, AFFINE_FAST, BATCH_TOPK, MATRYOSHKA): the
 * mathematics of {@code CpuTrainingStep} for AFFINE encoders with a tied pre/decoder bias, a sparsity with a mask
 * emitter ({@link SparsityMasks}), a unit-norm dictionary used as is, NMSE self and cross terms (each the mean over
 * the Matryoshka prefixes) and dead-latent AuxK, then what {@code ParameterUpdate} does for every updated model:
 * renormalise dictionary rows and project the gradient, optional clipping, AdamW. The step's sources are every
 * model (SPARC's rule) or one ({@link ChunkGraph} dispatches on it); models the update rule leaves alone pass through.
 *
 * <p>With sources S, {@code b_s} the tied bias, {@code nmse(E, Y) = mean_rows |E_n|^2 / |Y_n|^2} and {@code P_j}
 * the 0/1 vector of prefix j's latents (one prefix, all latents, without Matryoshka):
 * <pre>
 * Pre_s = (X_s - b_s) W_s^T + c_s;  mask_s = the sparsity's 0/1 mask;  Z_s = relu(Pre_s) mask_s
 * recon = sum_{s in S, t} w_st mean_j nmse(X_t - ((Z_s P_j) D_t + b_t), X_t)     w_st = Objective.termWeight
 * dead_s = latents not firing in this batch whose counter + 1 exceeds deadSteps (counters carried)
 * A_s = relu(Pre_s dead_s) at its top auxK;  T_s = X_s - (Z_s D_s + b_s) + b_s   (a constant: detached)
 * aux = sum_{s in S} (auxWeight / |S|) nmse(A_s D_s + b_s - T_s, T_s)
 * </pre>
 */
final class AffineStepGraph {
    private final GraphBuilder g;
    private final StepSettings c;
    private final StepOps ops;

    private AffineStepGraph(GraphBuilder g, StepSettings c) {
        this.g = g;
        this.c = c;
        this.ops = new StepOps(g, c);
    }

    /**
     * @param g       the graph (the loop body, or an If branch) to emit into.
     * @param c       constants.
     * @param sources the step's source models, ascending.
     * @param state   per model, state key to the value before the step.
     * @param x       per model, the step's standardised batch {@code [rows x d]}.
     * @param adam    the step's AdamW scalars: decay, stepSize, invBc2Sqrt.
     * @return the step's values.
     */
    static StepValues emit(GraphBuilder g, StepSettings c, int[] sources, List<Map<String, String>> state, String[] x,
                           String[] adam) {
        return new AffineStepGraph(g, c).step(sources, state, x, adam);
    }

    private StepValues step(int[] sources, List<Map<String, String>> state, String[] x, String[] adam) {
        int n = c.numModels();
        int rows = c.rows();
        int numSources = sources.length;
        boolean[] updated = new boolean[n];
        for (int t = 0; t < n; t++) {
            updated[t] = c.objective().updateRule().updates(t, sources);
        }
        String[] input = new String[n];
        String[] pre = new String[n];
        String[] sourcePre = new String[numSources];
        for (int p = 0; p < numSources; p++) {
            int s = sources[p];
            Map<String, String> params = state.get(s);
            input[s] = g.sub(x[s], params.get(ModelParameters.INPUT_BIAS));
            pre[s] = g.gemmBiasTransB(input[s], params.get(ModelParameters.ENC_WEIGHT),
                    params.get(ModelParameters.ENC_BIAS));
            sourcePre[p] = pre[s];
        }
        String[] sourceMask = SparsityMasks.of(c.architecture().sparsityBlock()).masks(ops, sourcePre, c.architecture());
        String[] mask = new String[n];
        String[] z = new String[n];
        String[] fired = new String[n];
        AuxEmitters.Emitter auxLoss = AuxEmitters.of(c.objective().auxBlock());
        AuxEmitters.Codes[] auxCodes = new AuxEmitters.Codes[n];
        List<Map<String, String>> next = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            next.add(new LinkedHashMap<>());
        }
        List<String> positives = new ArrayList<>();
        for (int p = 0; p < numSources; p++) {
            int s = sources[p];
            mask[s] = sourceMask[p];
            z[s] = g.mul(g.relu(pre[s]), mask[s]);
            fired[s] = ops.fired(z[s]);
            positives.add(g.reduceSum(g.greaterAsFloat(z[s], g.scalar(0f)), false));
            auxCodes[s] = auxLoss.select(ops, pre[s], mask[s], fired[s], state.get(s).get(StateLayout.STEPS_SINCE_FIRED));
            if (auxCodes[s] != null && auxCodes[s].counters() != null) {
                next.get(s).put(StateLayout.STEPS_SINCE_FIRED, auxCodes[s].counters());
            }
        }
        // ---- reconstruction terms (sources x all targets), each the mean over the prefixes
        int[] ends = c.objective().prefixes().ends(c.numLatents());
        String[] prefix = new String[ends.length];
        if (ends.length > 1) {
            for (int j = 0; j < ends.length; j++) {
                float[] in = new float[c.numLatents()];
                java.util.Arrays.fill(in, 0, ends[j], 1f);
                prefix[j] = g.floats(in);
            }
        }
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
        CriterionEmitters.Emitter crit = CriterionEmitters.of(c.objective().reconstruction().criterion());
        List<String> auxTerms = new ArrayList<>();
        List<List<String>> gAuxTerms = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            gAuxTerms.add(new ArrayList<>());
        }
        for (int s : sources) {
            for (int t = 0; t < n; t++) {
                double w = c.objective().termWeight(s, t, numSources, n);
                if (w == 0) {
                    continue;
                }
                String dict = state.get(t).get(ModelParameters.DICTIONARY);
                String bias = state.get(t).get(ModelParameters.INPUT_BIAS);
                for (int j = 0; j < ends.length; j++) {
                    String codes = prefix[j] == null ? z[s] : g.mul(z[s], prefix[j]);
                    String res = g.sub(x[t], g.add(g.op("MatMul", "xhat", List.of(codes, dict)), bias));
                    if (s == t && j == ends.length - 1) {
                        selfResidual[s] = res;
                    }
                    String[] lossAndGrad = crit.term(ops, res, x[t], w / ends.length, (double) rows * c.dims()[t]);
                    reconTerms.add(lossAndGrad[0]);
                    String gRes = lossAndGrad[1];
                    // the aux loss's term on the full residual (half-aux), its gradient joining the residual's
                    AuxEmitters.Term auxTerm = j < ends.length - 1 || auxCodes[s] == null ? null : auxLoss.againstResidual(
                            ops, auxCodes[s], res, x[t], dict, crit, (double) rows * c.dims()[t], w);
                    if (auxTerm != null) {
                        auxTerms.add(auxTerm.value());
                        gRes = g.add(gRes, auxTerm.gResidual());
                        gAuxTerms.get(s).add(auxTerm.gCodes());
                        if (updated[t]) {
                            gDict.get(t).add(auxTerm.gDecoder());
                        }
                    }
                    String gXhat = g.neg(gRes);                             // Res = X - xhat
                    String gCodes = g.gemm(gXhat, dict, false, true);
                    gZ.get(s).add(prefix[j] == null ? gCodes : g.mul(gCodes, prefix[j]));
                    if (updated[t]) {
                        gDict.get(t).add(g.gemm(codes, gXhat, true, false));
                        gBias.get(t).add(ops.columnSums(gXhat));
                    }
                }
            }
        }
        String recon = ops.sum(reconTerms);
        // ---- the aux loss's term on each source's detached self residual (dead-latent AuxK)
        for (int s : sources) {
            AuxEmitters.Term term = auxCodes[s] == null ? null : auxLoss.againstSelf(ops, auxCodes[s], selfResidual[s],
                    state.get(s).get(ModelParameters.DICTIONARY), state.get(s).get(ModelParameters.INPUT_BIAS), numSources);
            if (term != null) {
                auxTerms.add(term.value());
                gAuxTerms.get(s).add(term.gCodes());
                gDict.get(s).add(term.gDecoder());
                gBias.get(s).add(term.gBias());
            }
        }
        String aux = auxTerms.isEmpty() ? g.scalar(0f) : ops.sum(auxTerms);
        // ---- encoders, then every updated model's update; the others pass through
        for (int s = 0; s < n; s++) {
            Map<String, String> p = state.get(s);
            if (!updated[s]) {
                Map<String, String> out = next.get(s);
                p.forEach((key, value) -> out.putIfAbsent(key, g.identity(value)));
                continue;
            }
            if (z[s] == null) {
                throw new IllegalStateException("the update rule updates model " + s + ", which is not a source");
            }
            String gPre = g.mul(ops.sum(gZ.get(s)), g.mul(mask[s], g.greaterAsFloat(pre[s], g.scalar(0f))));
            if (!gAuxTerms.get(s).isEmpty()) {
                gPre = g.add(gPre, g.mul(ops.sum(gAuxTerms.get(s)), auxCodes[s].pass()));
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
        String meanL0 = g.div(ops.sum(positives), g.scalar((float) rows * numSources));
        return new StepValues(next, loss, recon, aux, meanL0, ops.firingMatrix(fired));
    }
}
