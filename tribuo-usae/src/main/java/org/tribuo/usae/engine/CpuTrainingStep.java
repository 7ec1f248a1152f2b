package org.tribuo.usae.engine;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.MatryoshkaPrefixes;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One float32 training forward/backward of {@link CpuEngine}: the same mathematics, term weights,
 * aux losses and update-rule filtering as {@link ReferenceEngine#lossAndGradients}, with sparse
 * (gather/scatter) decoding of the codes. The auxiliary loss is its block's kernel ({@link CpuAuxTerm}).
 * Single use: construct, then {@link #run()}.
 */
final class CpuTrainingStep {
    // package-private: the auxiliary losses' kernels (CpuAuxTerm) read the step's shapes, scratch and decoders
    private final Gemm gemm;
    final Scratch s;
    final UsaeParameters params;
    private final Architecture arch;
    final Batch batch;
    private final int[] sources;
    final Objective obj;
    final long[][] stepsSinceFired;
    final int numModels;
    final int rows;
    final int m;

    private final CpuEncoderPass[] enc;
    private final SlotCodes[] codes;
    private final SlotCodes[] auxCodes;
    final SlotDecoder decoder;
    final DenseSlotBlocks auxBlocks;
    private final CpuAuxTerm auxTerm;
    private final List<StepGradients> grads = new ArrayList<>();
    private final int[] prefixEnds;
    private double recon;
    private double aux;

    CpuTrainingStep(Gemm gemm, Scratch s, UsaeParameters params, Batch batch, int[] sources, Objective obj,
                    long[][] stepsSinceFired) {
        this.gemm = gemm;
        this.s = s;
        this.params = params;
        this.arch = params.architecture();
        this.batch = batch;
        this.sources = sources;
        this.obj = obj;
        this.stepsSinceFired = stepsSinceFired;
        this.numModels = params.numModels();
        this.rows = batch.rows();
        this.m = arch.numLatents();
        this.enc = new CpuEncoderPass[numModels];
        this.codes = new SlotCodes[numModels];
        this.auxCodes = new SlotCodes[numModels];
        this.auxBlocks = new DenseSlotBlocks(gemm, s, m);
        this.decoder = new SlotDecoder(auxBlocks, m);
        this.prefixEnds = obj.prefixes().ends(m);
        this.auxTerm = CpuAuxTerm.of(obj.auxBlock());
    }

    /**
     * Per Matryoshka group g (latents {@code [ends[g-1], ends[g])}), the codes with the other slots' values 0: the
     * same latents and gradient array, so a group's decode and backward touch its own slots only.
     */
    private SlotCodes[] groupCodes(SlotCodes c) {
        SlotCodes[] groups = new SlotCodes[prefixEnds.length];
        for (int g = 0; g < groups.length; g++) {
            groups[g] = new SlotCodes(c.rows, c.slots, c.idx, s.floats("group" + g, c.val.length), c.grad);
        }
        SparsePool.forRange(c.rows, (part, lo, hi) -> {
            for (int q = lo * c.slots; q < hi * c.slots; q++) {
                int own = MatryoshkaPrefixes.group(prefixEnds, c.idx[q]);
                for (int g = 0; g < groups.length; g++) {
                    groups[g].val[q] = g == own ? c.val[q] : 0f;
                }
            }
        });
        return groups;
    }

    StepOutput run() {
        encodeSources();
        long clock = PhaseTimer.start();
        boolean[][] fired = new boolean[numModels][];
        double l0 = 0;
        for (int src : sources) {
            fired[src] = new boolean[m];
            SlotCodes c = codes[src];
            for (int i = 0; i < rows * c.slots; i++) {
                if (c.val[i] > obj.fireThreshold()) {
                    fired[src][c.idx[i]] = true;
                }
                if (c.val[i] != 0f) {
                    l0++;
                }
            }
        }
        l0 /= (double) rows * sources.length;
        for (int p = 0; p < sources.length; p++) {
            auxCodes[sources[p]] = auxTerm.select(this, sources[p], p, fired[sources[p]]);
        }
        clock = PhaseTimer.stop(PhaseTimer.Phase.SELECT, clock);
        float[][] decoders = new float[numModels][];
        float[][] dDecoder = new float[numModels][];
        for (int t = 0; t < numModels; t++) {
            ModelParameters p = params.model(t);
            decoders[t] = arch.dictionary().normalization().decoder(p.dictionary(), m, p.dim(), s.floats("dec" + t, m * p.dim()));
            // dictionaries the update rule leaves alone get no gradient at all (saves 2·N·m·d per aux target)
            dDecoder[t] = updated(t) ? s.zeroFloats("ddec" + t, m * p.dim()) : null;
            grads.add(new StepGradients(s, Integer.toString(t)));
        }
        PhaseTimer.stop(PhaseTimer.Phase.DECODE, clock);
        for (int src : sources) {
            backwardSource(src, decoders, dDecoder);
        }
        clock = PhaseTimer.start();
        for (int t = 0; t < numModels; t++) {
            if (dDecoder[t] == null) {
                continue;
            }
            ModelParameters p = params.model(t);
            arch.dictionary().normalization().gradient(p.dictionary(), m, p.dim(), dDecoder[t],
                    grads.get(t).tensor(ModelParameters.DICTIONARY, dDecoder[t].length));
        }
        PhaseTimer.stop(PhaseTimer.Phase.BACKWARD, clock);
        return new StepOutput(recon + aux, recon, aux, filteredGradients(), bnStats(true), bnStats(false), fired, l0);
    }

    private void encodeSources() {
        long t = PhaseTimer.start();
        for (int p = 0; p < sources.length; p++) {
            int src = sources[p];
            // scratch keyed by position among this step's sources, not by model: a one-source recipe then
            // reuses one set of [rows x m] buffers whichever model it draws
            enc[src] = new CpuEncoderPass(params.model(src), arch.encoderBlock(), batch.x()[src], rows, true, gemm, s,
                    "enc" + p);
            codes[src] = SlotCodes.zeros(s, "codes" + p, rows, arch.slots());
        }
        t = PhaseTimer.stop(PhaseTimer.Phase.ENCODE, t);
        float[][] pres = new float[sources.length][];
        SlotCodes[] outs = new SlotCodes[sources.length];
        for (int p = 0; p < sources.length; p++) {
            pres[p] = enc[sources[p]].pre;
            outs[p] = codes[sources[p]];
        }
        Selection.run(arch.sparsityBlock(), pres, m, outs);
        PhaseTimer.stop(PhaseTimer.Phase.SELECT, t);
    }

    /**
     * Every target's reconstruction (and aux) terms of one source, then its encoder backward. With Matryoshka
     * prefixes each term is the mean over the prefixes: prefix j's residual is the next one's plus the decode of the
     * latents between them, and a slot's gradient sums the prefixes that hold its latent, so the backward runs group
     * by group from the last, adding each smaller prefix's residual gradient on the way down.
     */
    private void backwardSource(int src, float[][] decoders, float[][] dDecoder) {
        SlotCodes c = codes[src];
        int levels = prefixEnds.length;
        SlotCodes[] groups = levels == 1 ? new SlotCodes[]{c} : groupCodes(c);
        float[][] resid = new float[numModels][];
        float[][] gResid = new float[numModels][];
        float[][][] gPrefix = new float[numModels][][];
        double[] weight = new double[numModels];
        for (int t = 0; t < numModels; t++) {
            weight[t] = obj.termWeight(src, t, sources.length, numModels);
            if (weight[t] == 0) {
                continue;
            }
            int d = params.model(t).dim();
            float[] x = batch.x()[t];
            // the reconstruction is decoded into the residual's buffer and turned into x - xhat in place
            float[] r = s.floats("resid" + t, rows * d);
            long clock = PhaseTimer.start();
            decoder.decode(c, decoders[t], d, decoderBias(t), r);
            clock = PhaseTimer.stop(PhaseTimer.Phase.DECODE, clock);
            SparsePool.forRange(r.length, (part, lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    r[i] = x[i] - r[i];
                }
            });
            resid[t] = r;
            gResid[t] = s.zeroFloats("gresid" + t, rows * d);
            double w = weight[t] / levels;
            recon += obj.reconstruction().criterion().apply(resid[t], x, rows, d, w, gResid[t], SparsePool.ROWS);
            if (levels > 1) {
                gPrefix[t] = new float[levels - 1][];
                float[] rj = s.floats("presid" + t, rows * d);
                float[] part = s.floats("pdecode" + t, rows * d);
                System.arraycopy(r, 0, rj, 0, r.length);
                for (int j = levels - 2; j >= 0; j--) {
                    decoder.decodeAdd(groups[j + 1], decoders[t], d, rj, part);
                    gPrefix[t][j] = s.zeroFloats("gpresid" + t + "." + j, rows * d);
                    recon += obj.reconstruction().criterion().apply(rj, x, rows, d, w, gPrefix[t][j], SparsePool.ROWS);
                }
            }
            PhaseTimer.stop(PhaseTimer.Phase.LOSS, clock);
        }
        aux += auxTerm.withResiduals(this, auxCodes[src], decoders, dDecoder, resid, gResid, weight);
        for (int t = 0; t < numModels; t++) {
            if (weight[t] == 0) {
                continue;
            }
            int d = params.model(t).dim();
            long clock = PhaseTimer.start();
            float[] g = gResid[t];
            SparsePool.forRange(g.length, (part, lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    g[i] = -g[i];        // R = x - xhat: dL/dxhat = -dL/dR
                }
            });
            float[] all = g;
            if (levels == 1) {
                decoder.backward(c, decoders[t], d, g, dDecoder[t]);
            } else {
                // group j's output gradient sums the terms of prefixes j..last: built in place from the last down
                float[][] byGroup = new float[levels][];
                byGroup[levels - 1] = g;
                for (int j = levels - 2; j >= 0; j--) {
                    float[] above = byGroup[j + 1];
                    float[] gj = gPrefix[t][j];
                    SparsePool.forRange(gj.length, (part, lo, hi) -> {
                        for (int i = lo; i < hi; i++) {
                            gj[i] = above[i] - gj[i];
                        }
                    });
                    byGroup[j] = gj;
                }
                decoder.backwardByGroup(c, groups, decoders[t], d, byGroup, prefixEnds, dDecoder[t]);
                all = byGroup[0];
            }
            if (decoderBias(t) != null) {
                // the bias takes part in every prefix
                SparseDecode.addColumnSums(all, rows, d, inputBiasGrad(t));
            }
            PhaseTimer.stop(PhaseTimer.Phase.BACKWARD, clock);
        }
        aux += auxTerm.afterBackward(this, src, auxCodes[src], resid[src], decoders[src], dDecoder[src]);
        long clock = PhaseTimer.start();
        enc[src].backward(new SlotCodes[]{c, auxCodes[src]}, grads.get(src), gemm, s);
        PhaseTimer.stop(PhaseTimer.Phase.BACKWARD, clock);
    }

    /** @return the source's {@code [rows x m]} pre-activations. */
    float[] pre(int src) {
        return enc[src].pre;
    }

    /** @return the source's codes, as the sparsity chose them. */
    SlotCodes codes(int src) {
        return codes[src];
    }

    /** @return the step's source count. */
    int numSources() {
        return sources.length;
    }

    /** @return model t's decoder bias, or null when the architecture has none. */
    float[] decoderBias(int t) {
        return arch.decoderBias() ? params.model(t).inputBias() : null;
    }

    /** @return model t's input-bias gradient, created on first use. */
    float[] inputBiasGrad(int t) {
        int d = params.model(t).dim();
        return grads.get(t).tensor(ModelParameters.INPUT_BIAS, d);
    }

    /** @return whether model t's tensors are updated this step (the update rule). */
    private boolean updated(int t) {
        return obj.updateRule().updates(t, sources);
    }

    /** Keeps the update rule's tensors, in each model's trainable order. */
    private List<Map<String, float[]>> filteredGradients() {
        List<Map<String, float[]>> out = new ArrayList<>();
        for (int t = 0; t < numModels; t++) {
            Map<String, float[]> ordered = new LinkedHashMap<>();
            if (updated(t)) {
                for (String name : params.model(t).trainable().keySet()) {
                    float[] g = grads.get(t).get(name);
                    if (g != null) {
                        ordered.put(name, g);
                    }
                }
            }
            out.add(ordered);
        }
        return out;
    }

    private float[][] bnStats(boolean mean) {
        float[][] out = new float[numModels][];
        for (int src : sources) {
            double[] v = mean ? enc[src].batchMean : enc[src].batchVarUnbiased;
            out[src] = v == null ? null : RefModel.toFloat(v);
        }
        return out;
    }
}
