package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.ModelParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits one training step of BatchNorm-encoder recipes (FAITHFUL, FAST) for one source model s into a graph: the
 * mathematics of {@code CpuTrainingStep} for a BATCHNORM encoder, per-model TopK, row-normalised dictionary, L1/L2
 * reconstruction plus the official half-aux term (FAITHFUL) or dead-latent AuxK (FAST), then what
 * {@code ParameterUpdate} does for the source: BatchNorm running statistics, per-model clipping and AdamW in
 * PyTorch's order.
 *
 * <p>Forward, with {@code X [rows x d_s]}, {@code W [m x d_s]}, {@code N(D) = D / (||D_row|| + 1e-8)}:
 * <pre>
 * H = X W^T + b;  Xh = (H - mean) / sqrt(var + 1e-5)  (batch statistics, biased var);  Pre = gamma Xh + beta
 * R = relu(Pre);  mask = TopK_k(R) scattered to 0/1;  Z = R mask
 * A = TopK_{m/2}(R (1 - mask)) scattered to 0/1, times (1 - mask);  S = R A          (half-aux codes)
 * for every target t:  Res_t = X_t - Z N(D_t);  E_t = Res_t - S N(D_t)
 * loss = sum_t crit(Res_t) + auxWeight crit(E_t)          crit = mean |.| (L1) or mean (.)^2 (L2)
 * </pre>
 * Backward (hand-written): {@code gRes_t = crit'(Res_t) + auxWeight crit'(E_t)}; {@code gZ = -sum_t gRes_t N(D_t)^T};
 * {@code gS = sum_t auxWeight crit'(E_t) N(D_t)^T}; {@code gPre = (gZ mask + gS A) [Pre > 0]}; the BatchNorm
 * backward; {@code dW = gH^T X}, {@code db = colsum(gH)}; only the source's own term reaches its dictionary:
 * {@code gN = -Z^T gRes_s + S^T auxWeight crit'(E_s)}, chained through the row normalisation. The other
 * models' state passes through unchanged (SOURCE_ONLY).
 *
 * <p>Dead-latent AuxK instead of half-aux, as {@link AffineStepGraph} without a bias: {@code A} = the top auxK of
 * {@code relu(Pre)} over the dead latents, {@code T = Res_s} (detached), {@code aux = auxWeight nmse(A N(D_s) - T, T)};
 * its gradient reaches the encoder through {@code A}'s mask and {@code D_s} through the row normalisation.
 */
final class BatchNormStepGraph {
    private static final float BN_EPS = 1e-5f;
    private static final float BN_MOMENTUM = 0.1f;
    private static final float NORM_EPS = 1e-8f;

    private final GraphBuilder g;
    private final StepSettings c;
    private final StepOps ops;

    private BatchNormStepGraph(GraphBuilder g, StepSettings c) {
        this.g = g;
        this.c = c;
        this.ops = new StepOps(g, c);
    }

    /**
     * @param g        the graph (an If branch) to emit into.
     * @param c        constants.
     * @param source   the source model s.
     * @param state    per model, state key to the value before the step (outer-scope names).
     * @param x        per model, the step's standardised batch {@code [rows x d]}.
     * @param adam     the step's AdamW scalars: decay, stepSize, invBc2Sqrt (float scalars).
     * @return the step's values.
     */
    static StepValues emit(GraphBuilder g, StepSettings c, int source, List<Map<String, String>> state, String[] x,
                           String[] adam) {
        return new BatchNormStepGraph(g, c).step(source, state, x, adam);
    }

    private StepValues step(int s, List<Map<String, String>> state, String[] x, String[] adam) {
        Map<String, String> p = state.get(s);
        int m = c.numLatents();
        int rows = c.rows();
        // ---- encoder, BatchNorm in train mode
        String h = g.gemmBiasTransB(x[s], p.get(ModelParameters.ENC_WEIGHT), p.get(ModelParameters.ENC_BIAS));
        String mean = g.reduceMean(h, false, 0);
        String centred = g.sub(h, mean);
        String var = g.reduceMean(g.mul(centred, centred), false, 0);
        String invStd = g.div(g.scalar(1f), g.sqrt(g.add(var, g.scalar(BN_EPS))));
        String xh = g.mul(centred, invStd);
        String gamma = p.get(ModelParameters.BN_WEIGHT);
        String pre = g.add(g.mul(xh, gamma), p.get(ModelParameters.BN_BIAS));
        String r = g.relu(pre);
        // ---- TopK and the aux loss's selection as dense 0/1 masks
        String mask = ops.topKMask(r, c.k());
        String z = g.mul(r, mask);
        AuxEmitters.Emitter auxLoss = AuxEmitters.of(c.objective().auxBlock());
        AuxEmitters.Codes auxCodes = auxLoss.select(ops, pre, mask, ops.fired(z), p.get(StateLayout.STEPS_SINCE_FIRED));
        CriterionEmitters.Emitter crit = CriterionEmitters.of(c.objective().reconstruction().criterion());
        // ---- every target's terms, and their gradients into the codes
        List<String> reconTerms = new ArrayList<>();
        List<String> auxTerms = new ArrayList<>();
        List<String> gZ = new ArrayList<>();
        List<String> gS = new ArrayList<>();
        String gDecoderSelf = null;
        String selfDecoder = null;
        String selfResidual = null;
        for (int t = 0; t < c.numModels(); t++) {
            String dict = state.get(t).get(ModelParameters.DICTIONARY);
            String decoder = g.div(dict, g.add(ops.rowNorm(dict), g.scalar(NORM_EPS)));
            String res = g.sub(x[t], g.op("MatMul", "xhat", List.of(z, decoder)));
            double n = (double) rows * c.dims()[t];
            String[] term = crit.term(ops, res, x[t], 1.0, n);
            reconTerms.add(term[0]);
            String gRes = term[1];
            AuxEmitters.Term auxTerm = auxCodes == null ? null
                    : auxLoss.againstResidual(ops, auxCodes, res, x[t], decoder, crit, n, 1.0);
            if (auxTerm != null) {
                auxTerms.add(auxTerm.value());
                gRes = g.add(gRes, auxTerm.gResidual());
                gS.add(auxTerm.gCodes());
            }
            String gXhat = g.neg(gRes);             // Res = X - xhat
            gZ.add(g.gemm(gXhat, decoder, false, true));
            if (t == s) {
                selfDecoder = decoder;
                selfResidual = res;
                gDecoderSelf = g.gemm(z, gXhat, true, false);
                if (auxTerm != null) {
                    gDecoderSelf = g.add(gDecoderSelf, auxTerm.gDecoder());
                }
            }
        }
        String recon = ops.sum(reconTerms);
        // the aux loss's term on the detached self residual (no decoder bias in this step)
        AuxEmitters.Term selfTerm = auxCodes == null ? null
                : auxLoss.againstSelf(ops, auxCodes, selfResidual, selfDecoder, null, 1);
        if (selfTerm != null) {
            auxTerms.add(selfTerm.value());
            gS.add(selfTerm.gCodes());
            gDecoderSelf = g.add(gDecoderSelf, selfTerm.gDecoder());
        }
        String aux = auxTerms.isEmpty() ? g.scalar(0f) : ops.sum(auxTerms);
        String loss = g.add(recon, aux);
        // ---- back through TopK, ReLU and BatchNorm to the encoder
        String gR = g.mul(ops.sum(gZ), mask);
        if (!gS.isEmpty()) {
            gR = g.add(gR, g.mul(ops.sum(gS), auxCodes.pass()));
        }
        String gPre = g.mul(gR, g.greaterAsFloat(pre, g.scalar(0f)));
        String dGamma = g.reduceSum(g.mul(gPre, xh), false, 0);
        String dBeta = g.reduceSum(gPre, false, 0);
        String invRows = g.scalar(1f / rows);
        // dH = gamma invStd (gPre - dBeta/rows - Xh dGamma/rows)
        String gH = g.mul(g.mul(gamma, invStd),
                g.sub(g.sub(gPre, g.mul(dBeta, invRows)), g.mul(xh, g.mul(dGamma, invRows))));
        Map<String, String> grads = new LinkedHashMap<>();
        grads.put(ModelParameters.ENC_WEIGHT, g.gemm(gH, x[s], true, false));
        grads.put(ModelParameters.ENC_BIAS, g.reduceSum(gH, false, 0));
        grads.put(ModelParameters.BN_WEIGHT, dGamma);
        grads.put(ModelParameters.BN_BIAS, dBeta);
        grads.put(ModelParameters.DICTIONARY, normalisationGradient(p.get(ModelParameters.DICTIONARY), gDecoderSelf));
        if (c.gradClip() > 0) {
            ops.clip(grads);
        }
        // ---- new state: source updated, others passed through
        List<Map<String, String>> next = new ArrayList<>();
        for (int t = 0; t < c.numModels(); t++) {
            Map<String, String> out = new LinkedHashMap<>();
            if (t != s) {
                state.get(t).forEach((key, value) -> out.put(key, g.identity(value)));
            } else {
                for (String tensor : StateLayout.trainable(c.architecture())) {
                    ops.adamW(tensor, p.get(tensor), p, grads.get(tensor), adam, out);
                }
                float keep = 1 - BN_MOMENTUM;
                String unbiased = g.mul(var, g.scalar((float) rows / (rows - 1)));
                out.put(ModelParameters.BN_RUNNING_MEAN, g.add(g.mul(p.get(ModelParameters.BN_RUNNING_MEAN),
                        g.scalar(keep)), g.mul(mean, g.scalar(BN_MOMENTUM))));
                out.put(ModelParameters.BN_RUNNING_VAR, g.add(g.mul(p.get(ModelParameters.BN_RUNNING_VAR),
                        g.scalar(keep)), g.mul(unbiased, g.scalar(BN_MOMENTUM))));
                if (auxCodes != null && auxCodes.counters() != null) {
                    out.put(StateLayout.STEPS_SINCE_FIRED, auxCodes.counters());
                }
            }
            next.add(out);
        }
        String positive = g.greaterAsFloat(z, g.scalar(0f));
        String meanL0 = g.div(g.reduceSum(positive, false), g.scalar(rows));
        String[] firedByModel = new String[c.numModels()];
        firedByModel[s] = ops.fired(z);
        String fired = ops.firingMatrix(firedByModel);
        return new StepValues(next, loss, recon, aux, meanL0, fired);
    }

    /** d/dD of D / (||D|| + eps): {@code G/(n+eps) - D (G.D) / (n (n+eps)^2)}, 0 for zero rows. */
    private String normalisationGradient(String dict, String gDecoder) {
        String norm = ops.rowNorm(dict);
        String den = g.add(norm, g.scalar(NORM_EPS));
        String dot = g.reduceSum(g.mul(gDecoder, dict), true, 1);
        String coef = g.div(dot, g.mul(g.mul(norm, den), den));
        String safe = g.op("Where", "where", List.of(g.op("Greater", "gt", List.of(norm, g.scalar(0f))), coef,
                g.scalar(0f)));
        return g.sub(g.div(gDecoder, den), g.mul(dict, safe));
    }
}