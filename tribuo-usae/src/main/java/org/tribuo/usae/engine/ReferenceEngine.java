package org.tribuo.usae.engine;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.Sparsity;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle: every recipe computed densely in double precision with plain loops, written to be
 * read against the specification rather than to be fast. Finite-difference tests check its
 * gradients; every fast engine is tested against it.
 */
public final class ReferenceEngine implements Engine {

    /** Double-precision result of {@link #lossAndGradients}. */
    public record Result(double loss, double reconLoss, double auxLoss, List<Map<String, double[]>> gradients,
                         double[][] bnBatchMean, double[][] bnBatchVar, boolean[][] fired, double meanL0,
                         double[][] auxTargets) {
    }

    /** One source's codes: {@code [rows x k]} selected slots and, for the aux losses, aux slots. */
    /** One source's encoding, codes and aux codes ({@link RefAuxTerm} fills those). */
    static final class SourceCodes {
        RefEncoderPass enc;
        int[] idx;
        double[] z;
        int auxSlots;
        int[] auxIdx;
        double[] auxVal;
    }

    @Override
    public StepOutput forwardBackward(UsaeParameters params, Batch batch, int[] sources, Objective objective,
                                      long[][] stepsSinceFired) {
        List<RefModel> models = params.models().stream().map(RefModel::of).toList();
        double[][] x = new double[batch.numModels()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = RefModel.toDouble(batch.x()[i]);
        }
        Result r = lossAndGradients(params.architecture(), models, x, batch.rows(), sources, objective,
                stepsSinceFired);
        List<Map<String, float[]>> grads = new ArrayList<>();
        for (Map<String, double[]> g : r.gradients()) {
            Map<String, float[]> f = new LinkedHashMap<>();
            g.forEach((k, v) -> f.put(k, RefModel.toFloat(v)));
            grads.add(f);
        }
        return new StepOutput(r.loss(), r.reconLoss(), r.auxLoss(), grads, toFloat(r.bnBatchMean()),
                toFloat(r.bnBatchVar()), r.fired(), r.meanL0());
    }

    /**
     * The training loss and its gradients, filtered by the update rule.
     *
     * @param arch architecture.
     * @param models double parameters in model order.
     * @param x per model {@code [rows x d_i]} standardised activations.
     * @param rows rows.
     * @param sources source model indices.
     * @param obj objective.
     * @param stepsSinceFired dead-latent counters before this step (DEAD_AUXK only).
     * @return loss parts and gradients (per model: only the tensors the update rule moves).
     */
    public Result lossAndGradients(Architecture arch, List<RefModel> models, double[][] x, int rows, int[] sources,
                                   Objective obj, long[][] stepsSinceFired) {
        return lossAndGradients(arch, models, x, rows, sources, obj, stepsSinceFired, null);
    }

    /**
     * As {@link #lossAndGradients(Architecture, List, double[][], int, int[], Objective, long[][])}, with
     * the detached AuxK targets supplied instead of computed, so finite differences can hold them fixed
     * as autograd's detach does.
     * @param frozenAuxTargets per source, {@code [rows x d]} AuxK targets, or null to compute them.
     */
    Result lossAndGradients(Architecture arch, List<RefModel> models, double[][] x, int rows, int[] sources,
                            Objective obj, long[][] stepsSinceFired, double[][] frozenAuxTargets) {
        int numModels = models.size();
        Terms terms = new Terms(arch, models, x, rows, obj);
        // Z_s: each source's codes, as the sparsity block chooses them from relu(Pre_s); A_s: the aux loss's codes
        SourceCodes[] codes = encodeSources(arch, models, x, rows, sources);
        boolean[][] fired = terms.firing(codes, sources);
        RefAuxTerm auxTerm = RefAuxTerm.of(obj.auxBlock());
        for (int s : sources) {
            auxTerm.select(codes[s], arch.numLatents(), rows, fired[s], stepsSinceFired == null ? null : stepsSinceFired[s]);
        }
        double[][] auxTargets = new double[numModels][];
        for (int s : sources) {
            SourceCodes sc = codes[s];
            CodeGradients g = new CodeGradients(sc, rows);
            // sum_t w_st mean_j crit(X_t - (Z_s P_j) D_t - b_t), with the aux loss's terms on the same residuals
            double[] selfRecon = null;
            for (int t = 0; t < numModels; t++) {
                double w = obj.termWeight(s, t, sources.length, numModels);
                if (w != 0) {
                    double[] xhat = terms.reconstruction(sc, t, w, auxTerm, g);
                    selfRecon = t == s ? xhat : selfRecon;
                }
            }
            // the aux loss's term against the detached self residual (dead-latent AuxK)
            double[] target = auxTerm.detachedTarget(arch, models.get(s), x[s], selfRecon, rows);
            if (target != null) {
                auxTargets[s] = frozenAuxTargets != null ? frozenAuxTargets[s] : target;
                terms.aux += auxTerm.afterTargets(arch, models.get(s), sc, auxTargets[s], terms.decoders[s], rows,
                        sources.length, g.dAux, terms.dDecoder[s], terms.grads.get(s));
            }
            // back through ReLU and the selection into the encoder
            terms.encoderBackward(sc, s, g);
        }
        return terms.result(codes, sources, fired, auxTargets);
    }

    /** dL/d(code value) of one source's codes and aux codes. */
    private static final class CodeGradients {
        final double[] dz;
        final double[] dAux;

        CodeGradients(SourceCodes sc, int rows) {
            dz = new double[sc.z.length];
            dAux = sc.auxSlots > 0 ? new double[rows * sc.auxSlots] : null;
        }
    }

    /** One step's reconstruction terms, their gradients and the step's decoders, in double. */
    private static final class Terms {
        final Architecture arch;
        final List<RefModel> models;
        final double[][] x;
        final int rows;
        final Objective obj;
        final int[] ends;
        final double[][] decoders;
        final double[][] dDecoder;
        final List<Map<String, double[]>> grads = new ArrayList<>();
        double recon;
        double aux;
        double l0;

        Terms(Architecture arch, List<RefModel> models, double[][] x, int rows, Objective obj) {
            this.arch = arch;
            this.models = models;
            this.x = x;
            this.rows = rows;
            this.obj = obj;
            int m = arch.numLatents();
            this.ends = obj.prefixes().ends(m);
            this.decoders = new double[models.size()][];
            this.dDecoder = new double[models.size()][];
            for (int t = 0; t < models.size(); t++) {
                decoders[t] = models.get(t).decoder(arch.dictionary());
                grads.add(new LinkedHashMap<>());
                dDecoder[t] = new double[m * models.get(t).d];
            }
        }

        /** The latents each source fired (a code above the fire threshold), and the mean L0 into {@link #l0}. */
        boolean[][] firing(SourceCodes[] codes, int[] sources) {
            int m = arch.numLatents();
            boolean[][] fired = new boolean[models.size()][];
            double nonZero = 0;
            for (int s : sources) {
                fired[s] = new boolean[m];
                SourceCodes sc = codes[s];
                for (int i = 0; i < sc.z.length; i++) {
                    if (sc.z[i] > obj.fireThreshold()) {
                        fired[s][sc.idx[i]] = true;
                    }
                    if (sc.z[i] != 0) {
                        nonZero++;
                    }
                }
            }
            l0 = nonZero / ((double) rows * sources.length);
            return fired;
        }

        /**
         * Source sc's term into target t, the mean over the Matryoshka prefixes, with the aux loss's term on the same
         * residual, and their backward into the codes, the target's decoder and its bias.
         * @return the full reconstruction {@code xhat_t} (the self term's feeds the detached AuxK target).
         */
        double[] reconstruction(SourceCodes sc, int t, double w, RefAuxTerm auxTerm, CodeGradients g) {
            int k = arch.slots();
            int d = models.get(t).d;
            double[] bias = arch.decoderBias() ? models.get(t).get(ModelParameters.INPUT_BIAS) : null;
            double[] xhat = RefOps.decodeDense(sc.idx, sc.z, k, rows, decoders[t], d, bias);
            double[] resid = new double[rows * d];
            for (int i = 0; i < rows * d; i++) {
                resid[i] = x[t][i] - xhat[i];
            }
            double[] gResid = new double[rows * d];
            recon += obj.reconstruction().criterion().reference(resid, x[t], rows, d, w / ends.length, gResid);
            // Matryoshka: each smaller prefix's term, decoded from its latents alone, and its backward
            for (int j = 0; j < ends.length - 1; j++) {
                double[] zj = new double[rows * k];
                for (int q = 0; q < zj.length; q++) {
                    zj[q] = sc.idx[q] < ends[j] ? sc.z[q] : 0;
                }
                double[] xhatJ = RefOps.decodeDense(sc.idx, zj, k, rows, decoders[t], d, bias);
                double[] residJ = new double[rows * d];
                for (int i = 0; i < rows * d; i++) {
                    residJ[i] = x[t][i] - xhatJ[i];
                }
                double[] gJ = new double[rows * d];
                recon += obj.reconstruction().criterion().reference(residJ, x[t], rows, d, w / ends.length, gJ);
                for (int i = 0; i < rows * d; i++) {
                    gJ[i] = -gJ[i];
                }
                double[] dzJ = new double[rows * k];
                RefOps.backDecode(sc.idx, zj, k, rows, decoders[t], d, gJ, dzJ, dDecoder[t]);
                for (int q = 0; q < dzJ.length; q++) {
                    g.dz[q] += sc.idx[q] < ends[j] ? dzJ[q] : 0;
                }
                if (bias != null) {
                    RefOps.addColumnSums(gJ, rows, d, grads.get(t).computeIfAbsent(ModelParameters.INPUT_BIAS, q -> new double[d]));
                }
            }
            RefAuxTerm.TargetTerm auxTarget = auxTerm.withResidual(sc, resid, x[t], rows, d, w, decoders[t], gResid,
                    obj.reconstruction().criterion());
            if (auxTarget != null) {
                aux += auxTarget.value();
            }
            // R = x - xhat, so dL/dxhat = -dL/dR
            double[] gXhat = new double[rows * d];
            for (int i = 0; i < rows * d; i++) {
                gXhat[i] = -gResid[i];
            }
            RefOps.backDecode(sc.idx, sc.z, k, rows, decoders[t], d, gXhat, g.dz, dDecoder[t]);
            if (bias != null) {
                RefOps.addColumnSums(gXhat, rows, d, grads.get(t).computeIfAbsent(ModelParameters.INPUT_BIAS, q -> new double[d]));
            }
            if (auxTarget != null) {
                RefOps.backDecode(sc.auxIdx, sc.auxVal, sc.auxSlots, rows, decoders[t], d, auxTarget.gAuxHat(), g.dAux,
                        dDecoder[t]);
            }
            return xhat;
        }

        /** The codes' and aux codes' gradients through ReLU (positive values only) into the source's encoder. */
        void encoderBackward(SourceCodes sc, int s, CodeGradients g) {
            int m = arch.numLatents();
            double[] dPre = new double[rows * m];
            RefOps.scatterThroughRelu(sc.z, sc.idx, g.dz, arch.slots(), rows, m, dPre);
            if (g.dAux != null) {
                RefOps.scatterThroughRelu(sc.auxVal, sc.auxIdx, g.dAux, sc.auxSlots, rows, m, dPre);
            }
            sc.enc.backward(dPre, grads.get(s));
        }

        /** The dictionaries' gradients through their normalisation, filtered by the update rule, as a result. */
        Result result(SourceCodes[] codes, int[] sources, boolean[][] fired, double[][] auxTargets) {
            int numModels = models.size();
            for (int t = 0; t < numModels; t++) {
                grads.get(t).put(ModelParameters.DICTIONARY, models.get(t).dictionaryGradient(arch.dictionary(), dDecoder[t]));
            }
            for (int t = 0; t < numModels; t++) {
                if (!obj.updateRule().updates(t, sources)) {
                    grads.set(t, new LinkedHashMap<>());
                }
            }
            double[][] bnMean = new double[numModels][];
            double[][] bnVar = new double[numModels][];
            for (int s : sources) {
                bnMean[s] = codes[s].enc.batchMean;
                bnVar[s] = codes[s].enc.batchVarUnbiased;
            }
            return new Result(recon + aux, recon, aux, grads, bnMean, bnVar, fired, l0, auxTargets);
        }
    }

    private SourceCodes[] encodeSources(Architecture arch, List<RefModel> models, double[][] x, int rows,
                                        int[] sources) {
        int m = arch.numLatents();
        int slots = arch.slots();
        SourceCodes[] codes = new SourceCodes[models.size()];
        for (int s : sources) {
            SourceCodes sc = new SourceCodes();
            sc.enc = new RefEncoderPass(models.get(s), arch.encoderBlock(), x[s], rows, true);
            codes[s] = sc;
        }
        double[][] pres = new double[sources.length][];
        for (int p = 0; p < sources.length; p++) {
            pres[p] = codes[sources[p]].enc.pre;
        }
        Sparsity sparsity = arch.sparsityBlock();
        int[][] idx = sparsity.referenceIndices(pres, rows, m, slots);
        double[][] z = sparsity.referenceValues(pres, rows, m, slots, idx);
        for (int p = 0; p < sources.length; p++) {
            SourceCodes sc = codes[sources[p]];
            sc.idx = idx[p];
            sc.z = z[p];
        }
        return codes;
    }

    private static float[][] toFloat(double[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] == null ? null : RefModel.toFloat(v[i]);
        }
        return out;
    }

    // ---- inference ----

    @Override
    public SparseCodes encode(UsaeParameters params, int model, float[] x, int rows) {
        Architecture arch = params.architecture();
        double[] pre = new RefEncoderPass(RefModel.of(params.model(model)), arch.encoderBlock(), RefModel.toDouble(x), rows,
                false).pre;
        return codes(arch.sparsityBlock().atInference(params, new int[]{model}), new double[][]{pre}, rows,
                arch.numLatents(), arch.slots())[0];
    }

    @Override
    public SparseCodes[] encodeJoint(UsaeParameters params, Batch batch) {
        Architecture arch = params.architecture();
        int numModels = params.numModels();
        int rows = batch.rows();
        double[][] pre = new double[numModels][];
        int[] models = new int[numModels];
        for (int i = 0; i < numModels; i++) {
            pre[i] = new RefEncoderPass(RefModel.of(params.model(i)), arch.encoderBlock(),
                    RefModel.toDouble(batch.x()[i]), rows, false).pre;
            models[i] = i;
        }
        return codes(arch.sparsityBlock().atInference(params, models), pre, rows, arch.numLatents(), arch.slots());
    }

    /** The block's reference choice and values as codes, per model. */
    private static SparseCodes[] codes(Sparsity sparsity, double[][] pre, int rows, int m, int slots) {
        int[][] idx = sparsity.referenceIndices(pre, rows, m, slots);
        double[][] val = sparsity.referenceValues(pre, rows, m, slots, idx);
        SparseCodes[] out = new SparseCodes[pre.length];
        for (int i = 0; i < pre.length; i++) {
            SparseCodes c = SparseCodes.zeros(rows, slots);
            for (int q = 0; q < rows * slots; q++) {
                c.indices()[q] = idx[i][q];
                c.values()[q] = (float) val[i][q];
            }
            out[i] = c;
        }
        return out;
    }

    @Override
    public void decode(UsaeParameters params, SparseCodes codes, int target, float[] out) {
        Architecture arch = params.architecture();
        RefModel model = RefModel.of(params.model(target));
        double[] vals = new double[codes.values().length];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = codes.values()[i];
        }
        double[] bias = arch.decoderBias() ? model.get(ModelParameters.INPUT_BIAS) : null;
        double[] res = RefOps.decodeDense(codes.indices(), vals, codes.k(), codes.rows(), model.decoder(arch.dictionary()),
                model.d, bias);
        for (int i = 0; i < res.length; i++) {
            out[i] = (float) res[i];
        }
    }
}
