package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.ModelParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits one training step of any recipe whose blocks have emitters: the mathematics of {@code CpuTrainingStep}, then
 * what {@code ParameterUpdate} does for every updated model. The step only composes: the encoder
 * ({@link EncoderEmitters}), the sparsity's mask ({@link SparsityMasks}), the dictionary ({@link DictionaryEmitters}),
 * the reconstruction criterion ({@link CriterionEmitters}), the auxiliary loss ({@link AuxEmitters}), per-model
 * clipping and AdamW ({@link StepOps}). The step's sources are every model or one ({@link ChunkGraph} dispatches on
 * it); models the update rule leaves alone pass through.
 *
 * <p>With sources S, {@code D_t} the decoder the dictionary block gives, {@code b_t} the decoder bias (when the
 * architecture has one) and {@code P_j} the 0/1 vector of Matryoshka prefix j (one prefix, all latents, without
 * Matryoshka):
 * <pre>
 * Pre_s = encoder_s(X_s);  mask_s = the sparsity's 0/1 mask;  Z_s = relu(Pre_s) mask_s
 * Res_stj = X_t - ((Z_s P_j) D_t + b_t);  recon = sum_{s in S, t} w_st mean_j crit(Res_stj, X_t)   w_st = termWeight
 * aux = the auxiliary loss on each Res_st (half-aux) or on each source's detached self residual (dead-latent AuxK)
 * gPre_s = dL/dZ_s mask_s [Pre_s > 0] + dL/dA_s pass_s;  the encoder's backward;  the dictionary's chain rule
 * per updated model: the dictionary's pre-update step, optional clipping, AdamW, the encoder's buffers
 * </pre>
 */
final class StepGraph {
    private final GraphBuilder g;
    private final StepSettings c;
    private final StepOps ops;

    private StepGraph(GraphBuilder g, StepSettings c) {
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
        return new StepGraph(g, c).step(sources, state, x, adam);
    }

    private StepValues step(int[] sources, List<Map<String, String>> state, String[] x, String[] adam) {
        int n = c.numModels();
        int numSources = sources.length;
        EncoderEmitters.Emitter encoder = EncoderEmitters.of(c.architecture().encoderBlock());
        DictionaryEmitters.Emitter dictionary = DictionaryEmitters.of(c.architecture().dictionary().normalization());
        CriterionEmitters.Emitter crit = CriterionEmitters.of(c.objective().reconstruction().criterion());
        AuxEmitters.Emitter auxLoss = AuxEmitters.of(c.objective().auxBlock());
        boolean[] updated = new boolean[n];
        List<Map<String, String>> next = new ArrayList<>();
        List<Terms> grads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            updated[t] = c.objective().updateRule().updates(t, sources);
            next.add(new LinkedHashMap<>());
            grads.add(new Terms());
        }
        // ---- encode every source, choose its latents, select its aux codes
        EncoderEmitters.Pass[] pass = new EncoderEmitters.Pass[n];
        String[] sourcePre = new String[numSources];
        for (int p = 0; p < numSources; p++) {
            pass[sources[p]] = encoder.forward(ops, x[sources[p]], state.get(sources[p]));
            sourcePre[p] = pass[sources[p]].pre();
        }
        String[] sourceMask = SparsityMasks.of(c.architecture().sparsityBlock()).masks(ops, sourcePre, c.architecture());
        String[] mask = new String[n];
        String[] z = new String[n];
        String[] fired = new String[n];
        AuxEmitters.Codes[] auxCodes = new AuxEmitters.Codes[n];
        List<String> positives = new ArrayList<>();
        for (int p = 0; p < numSources; p++) {
            int s = sources[p];
            mask[s] = sourceMask[p];
            z[s] = g.mul(g.relu(pass[s].pre()), mask[s]);
            fired[s] = ops.fired(z[s]);
            positives.add(g.reduceSum(g.greaterAsFloat(z[s], g.scalar(0f)), false));
            auxCodes[s] = auxLoss.select(ops, pass[s].pre(), mask[s], fired[s],
                    state.get(s).get(StateLayout.STEPS_SINCE_FIRED));
            if (auxCodes[s] != null && auxCodes[s].counters() != null) {
                next.get(s).put(StateLayout.STEPS_SINCE_FIRED, auxCodes[s].counters());
            }
        }
        // ---- reconstruction terms (sources x targets), each the mean over the prefixes
        String[] decoder = new String[n];
        String[] bias = new String[n];
        for (int t = 0; t < n; t++) {
            decoder[t] = dictionary.decoder(ops, state.get(t).get(ModelParameters.DICTIONARY));
            bias[t] = c.architecture().decoderBias() ? state.get(t).get(ModelParameters.INPUT_BIAS) : null;
        }
        String[] prefix = prefixes();
        List<String> reconTerms = new ArrayList<>();
        List<String> auxTerms = new ArrayList<>();
        String[] selfResidual = new String[n];
        for (int s : sources) {
            for (int t = 0; t < n; t++) {
                double w = c.objective().termWeight(s, t, numSources, n);
                if (w == 0) {
                    continue;
                }
                double elements = (double) c.rows() * c.dims()[t];
                for (int j = 0; j < prefix.length; j++) {
                    String codes = prefix[j] == null ? z[s] : g.mul(z[s], prefix[j]);
                    String xhat = g.op("MatMul", "xhat", List.of(codes, decoder[t]));
                    String res = g.sub(x[t], bias[t] == null ? xhat : g.add(xhat, bias[t]));
                    if (s == t && j == prefix.length - 1) {
                        selfResidual[s] = res;
                    }
                    String[] term = crit.term(ops, res, x[t], w / prefix.length, elements);
                    reconTerms.add(term[0]);
                    String gRes = term[1];
                    // the aux loss's term on the full residual (half-aux), its gradient joining the residual's
                    AuxEmitters.Term auxTerm = j < prefix.length - 1 || auxCodes[s] == null ? null
                            : auxLoss.againstResidual(ops, auxCodes[s], res, x[t], decoder[t], crit, elements, w);
                    if (auxTerm != null) {
                        auxTerms.add(auxTerm.value());
                        gRes = g.add(gRes, auxTerm.gResidual());
                        grads.get(s).auxCodes.add(auxTerm.gCodes());
                        if (updated[t]) {
                            grads.get(t).decoder.add(auxTerm.gDecoder());
                        }
                    }
                    String gXhat = g.neg(gRes);                             // Res = X - xhat
                    String gCodes = g.gemm(gXhat, decoder[t], false, true);
                    grads.get(s).codes.add(prefix[j] == null ? gCodes : g.mul(gCodes, prefix[j]));
                    if (updated[t]) {
                        grads.get(t).decoder.add(g.gemm(codes, gXhat, true, false));
                        if (bias[t] != null) {
                            grads.get(t).bias.add(ops.columnSums(gXhat));
                        }
                    }
                }
            }
        }
        // ---- the aux loss's term on each source's detached self residual (dead-latent AuxK)
        for (int s : sources) {
            AuxEmitters.Term term = auxCodes[s] == null ? null
                    : auxLoss.againstSelf(ops, auxCodes[s], selfResidual[s], decoder[s], bias[s], numSources);
            if (term != null) {
                auxTerms.add(term.value());
                grads.get(s).auxCodes.add(term.gCodes());
                grads.get(s).decoder.add(term.gDecoder());
                if (term.gBias() != null) {
                    grads.get(s).bias.add(term.gBias());
                }
            }
        }
        // ---- backward through the sparsity and the encoder, then every updated model's update
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
            Terms terms = grads.get(s);
            String gPre = g.mul(ops.sum(terms.codes), g.mul(mask[s], g.greaterAsFloat(pass[s].pre(), g.scalar(0f))));
            if (!terms.auxCodes.isEmpty()) {
                gPre = g.add(gPre, g.mul(ops.sum(terms.auxCodes), auxCodes[s].pass()));
            }
            EncoderEmitters.Gradients encoderGrads = pass[s].backward(gPre);
            Map<String, String> gradient = new LinkedHashMap<>(encoderGrads.own());
            if (encoderGrads.inputBias() != null) {
                terms.bias.add(encoderGrads.inputBias());
            }
            if (!terms.bias.isEmpty()) {
                gradient.put(ModelParameters.INPUT_BIAS, ops.sum(terms.bias));
            }
            String dict = p.get(ModelParameters.DICTIONARY);
            String[] adjusted = dictionary.beforeUpdate(ops, dict,
                    dictionary.gradient(ops, dict, ops.sum(terms.decoder)));
            gradient.put(ModelParameters.DICTIONARY, adjusted[1]);
            if (c.gradClip() > 0) {
                ops.clip(gradient);
            }
            for (String tensor : StateLayout.trainable(c.architecture())) {
                String value = tensor.equals(ModelParameters.DICTIONARY) ? adjusted[0] : p.get(tensor);
                ops.adamW(tensor, value, p, gradient.get(tensor), adam, next.get(s));
            }
            pass[s].updateBuffers(next.get(s));
        }
        String recon = ops.sum(reconTerms);
        String aux = auxTerms.isEmpty() ? g.scalar(0f) : ops.sum(auxTerms);
        String meanL0 = g.div(ops.sum(positives), g.scalar((float) c.rows() * numSources));
        return new StepValues(next, g.add(recon, aux), recon, aux, meanL0, ops.firingMatrix(fired));
    }

    /** @return per Matryoshka prefix, its constant 0/1 {@code [m]} vector; one null entry without prefixes. */
    private String[] prefixes() {
        int[] ends = c.objective().prefixes().ends(c.numLatents());
        String[] prefix = new String[ends.length];
        if (ends.length > 1) {
            for (int j = 0; j < ends.length; j++) {
                float[] in = new float[c.numLatents()];
                java.util.Arrays.fill(in, 0, ends[j], 1f);
                prefix[j] = g.floats(in);
            }
        }
        return prefix;
    }

    /** One model's gradient terms, summed once all are emitted. */
    private static final class Terms {
        /** dL/dZ terms {@code [rows x m]}. */
        final List<String> codes = new ArrayList<>();
        /** dL/d(aux codes) terms {@code [rows x m]}. */
        final List<String> auxCodes = new ArrayList<>();
        /** dL/d(decoder) terms {@code [m x d]}. */
        final List<String> decoder = new ArrayList<>();
        /** dL/d(decoder bias) terms {@code [d]}. */
        final List<String> bias = new ArrayList<>();
    }
}
