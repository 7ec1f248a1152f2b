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
        int m = arch.numLatents();
        int k = arch.slots();
        SourceCodes[] codes = encodeSources(arch, models, x, rows, sources);

        boolean[][] fired = new boolean[numModels][];
        double l0 = 0;
        for (int s : sources) {
            fired[s] = new boolean[m];
            SourceCodes sc = codes[s];
            for (int i = 0; i < rows * k; i++) {
                if (sc.z[i] > obj.fireThreshold()) {
                    fired[s][sc.idx[i]] = true;
                }
                if (sc.z[i] != 0) {
                    l0++;
                }
            }
        }
        l0 /= (double) rows * sources.length;

        RefAuxTerm auxTerm = RefAuxTerm.of(obj.auxBlock());
        for (int s : sources) {
            auxTerm.select(codes[s], m, rows, fired[s], stepsSinceFired == null ? null : stepsSinceFired[s]);
        }

        double[][] decoders = new double[numModels][];
        for (int t = 0; t < numModels; t++) {
            decoders[t] = models.get(t).decoder(arch.dictionary());
        }
        List<Map<String, double[]>> grads = new ArrayList<>();
        double[][] dDecoder = new double[numModels][];
        for (int t = 0; t < numModels; t++) {
            grads.add(new LinkedHashMap<>());
            dDecoder[t] = new double[m * models.get(t).d];
        }
        double recon = 0;
        double aux = 0;
        double[][] auxTargets = new double[numModels][];
        int[] ends = obj.prefixes().ends(m);
        for (int s : sources) {
            SourceCodes sc = codes[s];
            double[] dz = new double[rows * k];
            double[] dAux = sc.auxSlots > 0 ? new double[rows * sc.auxSlots] : null;
            double[] selfRecon = null;
            for (int t = 0; t < numModels; t++) {
                RefModel target = models.get(t);
                int d = target.d;
                double w = obj.termWeight(s, t, sources.length, numModels);
                if (w == 0) {
                    continue;
                }
                double[] bias = arch.decoderBias() ? target.get(ModelParameters.INPUT_BIAS) : null;
                double[] xhat = RefOps.decodeDense(sc.idx, sc.z, k, rows, decoders[t], d, bias);
                if (t == s) {
                    selfRecon = xhat;
                }
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
                        dz[q] += sc.idx[q] < ends[j] ? dzJ[q] : 0;
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
                RefOps.backDecode(sc.idx, sc.z, k, rows, decoders[t], d, gXhat, dz, dDecoder[t]);
                if (bias != null) {
                    RefOps.addColumnSums(gXhat, rows, d, grads.get(t).computeIfAbsent(ModelParameters.INPUT_BIAS, q -> new double[d]));
                }
                if (auxTarget != null) {
                    RefOps.backDecode(sc.auxIdx, sc.auxVal, sc.auxSlots, rows, decoders[t], d, auxTarget.gAuxHat(), dAux,
                            dDecoder[t]);
                }
            }
            double[] target = auxTerm.detachedTarget(arch, models.get(s), x[s], selfRecon, rows);
            if (target != null) {
                auxTargets[s] = frozenAuxTargets != null ? frozenAuxTargets[s] : target;
                aux += auxTerm.afterTargets(arch, models.get(s), sc, auxTargets[s], decoders[s], rows, sources.length,
                        dAux, dDecoder[s], grads.get(s));
            }
            double[] dPre = new double[rows * m];
            RefOps.scatterThroughRelu(sc.z, sc.idx, dz, k, rows, m, dPre);
            if (dAux != null) {
                RefOps.scatterThroughRelu(sc.auxVal, sc.auxIdx, dAux, sc.auxSlots, rows, m, dPre);
            }
            sc.enc.backward(dPre, grads.get(s));
        }
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
