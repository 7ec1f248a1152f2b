package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxiliaryLoss;
import org.tribuo.usae.sae.DeadLatentAuxK;
import org.tribuo.usae.sae.HalfAuxLoss;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.NmseCriterion;
import org.tribuo.usae.sae.NoAuxiliaryLoss;
import org.tribuo.usae.sae.ReconstructionCriterion;
import org.tribuo.usae.sae.TopK;

import java.util.Map;
import java.util.function.Function;

/**
 * The reference engine's double-precision kernel of one {@link AuxiliaryLoss} block, looked up by the block's class
 * ({@link #of}); the kernels of the built-in blocks are nested here, side by side. The same three points as the CPU
 * engine's {@link CpuAuxTerm}: choose the codes, score against each target's not-detached residual, score against
 * the source's detached self residual.
 */
interface RefAuxTerm {
    /** The kernel of the blocks without codes. */
    RefAuxTerm NONE = (sc, m, rows, fired, counters) -> { };

    /**
     * Chooses the source's aux codes into {@code sc.auxIdx}, {@code sc.auxVal} and {@code sc.auxSlots} (left unset when
     * the loss has none).
     * @param sc       the source's encoding and codes.
     * @param m        latents.
     * @param rows     rows.
     * @param fired    {@code [m]} the latents its codes fired this step.
     * @param counters {@code [m]} its dead-latent counters before the step, or null.
     */
    void select(ReferenceEngine.SourceCodes sc, int m, int rows, boolean[] fired, long[] counters);

    /**
     * A term scored against target t's not-detached residual.
     * @param sc        the source's codes.
     * @param resid     {@code [rows x d]} x_t - xhat_t.
     * @param x         {@code [rows x d]} x_t.
     * @param d         the target's width.
     * @param weight    the reconstruction term's weight.
     * @param decoder   the target's decoder.
     * @param gResid    dL/dR so far, added to.
     * @param criterion the reconstruction criterion.
     * @return its value and the gradient at the aux reconstruction (the engine back-propagates it after the
     *     reconstruction's), or null when the loss has no such term.
     */
    default TargetTerm withResidual(ReferenceEngine.SourceCodes sc, double[] resid, double[] x, int rows, int d,
                                    double weight, double[] decoder, double[] gResid, ReconstructionCriterion criterion) {
        return null;
    }

    /**
     * @return the detached target of the source's self term ({@link #afterTargets}), or null when the loss has none.
     */
    default double[] detachedTarget(Architecture arch, RefModel model, double[] x, double[] selfRecon, int rows) {
        return null;
    }

    /**
     * The term against the source's detached target.
     * @return its value.
     */
    default double afterTargets(Architecture arch, RefModel model, ReferenceEngine.SourceCodes sc, double[] target,
                                double[] decoder, int rows, int numSources, double[] dAux, double[] dDecoder,
                                Map<String, double[]> grads) {
        return 0;
    }

    /**
     * @param value   the term's value.
     * @param gAuxHat dL/d(aux reconstruction) {@code [rows x d]}.
     */
    record TargetTerm(double value, double[] gAuxHat) {
    }

    /** The kernels by block class. */
    Map<Class<? extends AuxiliaryLoss>, Function<AuxiliaryLoss, RefAuxTerm>> KERNELS = Map.of(
            NoAuxiliaryLoss.class, block -> NONE,
            HalfAuxLoss.class, block -> new Half((HalfAuxLoss) block),
            DeadLatentAuxK.class, block -> new Dead((DeadLatentAuxK) block));

    /**
     * @param block an auxiliary loss.
     * @return its kernel.
     * @throws IllegalArgumentException when the reference engine has none for it.
     */
    static RefAuxTerm of(AuxiliaryLoss block) {
        Function<AuxiliaryLoss, RefAuxTerm> k = KERNELS.get(block.getClass());
        if (k == null) {
            throw new IllegalArgumentException("the reference engine has no kernel for the auxiliary loss " + block.label()
                    + " (" + block + ")");
        }
        return k.apply(block);
    }

    /** Each row's top {@code slots} of the scores as the aux codes. */
    private static void fill(ReferenceEngine.SourceCodes sc, double[] scores, int slots, int m, int rows) {
        sc.auxSlots = slots;
        sc.auxIdx = new int[rows * slots];
        sc.auxVal = new double[rows * slots];
        for (int n = 0; n < rows; n++) {
            TopK.select(scores, n * m, m, slots, sc.auxIdx, n * slots);
            for (int j = 0; j < slots; j++) {
                sc.auxVal[n * slots + j] = scores[n * m + sc.auxIdx[n * slots + j]];
            }
        }
    }

    /** {@link HalfAuxLoss}: the top floor(m/2) of ReLU(pre) with the selected latents zeroed, against every residual. */
    final class Half implements RefAuxTerm {
        private final HalfAuxLoss block;

        Half(HalfAuxLoss block) {
            this.block = block;
        }

        @Override
        public void select(ReferenceEngine.SourceCodes sc, int m, int rows, boolean[] fired, long[] counters) {
            int k = sc.idx.length / rows;
            double[] p = RefOps.relu(sc.enc.pre);
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < k; j++) {
                    p[n * m + sc.idx[n * k + j]] = 0;
                }
            }
            fill(sc, p, block.slots(m), m, rows);
        }

        @Override
        public TargetTerm withResidual(ReferenceEngine.SourceCodes sc, double[] resid, double[] x, int rows, int d,
                                       double weight, double[] decoder, double[] gResid, ReconstructionCriterion criterion) {
            double[] auxHat = RefOps.decodeDense(sc.auxIdx, sc.auxVal, sc.auxSlots, rows, decoder, d, null);
            double[] e = new double[rows * d];
            for (int i = 0; i < rows * d; i++) {
                e[i] = resid[i] - auxHat[i];
            }
            double[] gE = new double[rows * d];
            double value = criterion.reference(e, x, rows, d, weight * block.weight(), gE);
            double[] gAuxHat = new double[rows * d];
            for (int i = 0; i < rows * d; i++) {
                gResid[i] += gE[i];   // E = R - auxHat, dE/dR = 1
                gAuxHat[i] = -gE[i];
            }
            return new TargetTerm(value, gAuxHat);
        }
    }

    /** {@link DeadLatentAuxK}: top auxK of the pre-activations masked to dead latents, then ReLU, against the detached self residual. */
    final class Dead implements RefAuxTerm {
        private final DeadLatentAuxK block;

        Dead(DeadLatentAuxK block) {
            this.block = block;
        }

        @Override
        public void select(ReferenceEngine.SourceCodes sc, int m, int rows, boolean[] fired, long[] counters) {
            boolean[] dead = block.dead(fired, counters);
            double[] masked = new double[rows * m];
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < m; j++) {
                    masked[n * m + j] = dead[j] ? sc.enc.pre[n * m + j] : 0;
                }
            }
            fill(sc, masked, block.slots(m), m, rows);
            for (int i = 0; i < sc.auxVal.length; i++) {
                sc.auxVal[i] = Math.max(0, sc.auxVal[i]);
            }
        }

        /** SPARC's AuxK target: the self-reconstruction residual plus the decoder bias, both detached. */
        @Override
        public double[] detachedTarget(Architecture arch, RefModel model, double[] x, double[] selfRecon, int rows) {
            int d = model.d;
            double[] bias = arch.decoderBias() ? model.get(ModelParameters.INPUT_BIAS) : null;
            double[] target = new double[rows * d];
            for (int n = 0; n < rows; n++) {
                for (int c = 0; c < d; c++) {
                    target[n * d + c] = x[n * d + c] - selfRecon[n * d + c] + (bias != null ? bias[c] : 0);
                }
            }
            return target;
        }

        /** NMSE of (aux codes decoded + bias) against the detached target. */
        @Override
        public double afterTargets(Architecture arch, RefModel model, ReferenceEngine.SourceCodes sc, double[] target,
                                   double[] decoder, int rows, int numSources, double[] dAux, double[] dDecoder,
                                   Map<String, double[]> grads) {
            int d = model.d;
            double[] bias = arch.decoderBias() ? model.get(ModelParameters.INPUT_BIAS) : null;
            double[] auxRecon = RefOps.decodeDense(sc.auxIdx, sc.auxVal, sc.auxSlots, rows, decoder, d, bias);
            double[] e = new double[rows * d];
            for (int i = 0; i < e.length; i++) {
                e[i] = auxRecon[i] - target[i];
            }
            double[] gE = new double[rows * d];
            double value = NmseCriterion.INSTANCE.reference(e, target, rows, d, block.weight() / numSources, gE);
            // e = auxRecon - target(detached): dL/dauxRecon = gE
            RefOps.backDecode(sc.auxIdx, sc.auxVal, sc.auxSlots, rows, decoder, d, gE, dAux, dDecoder);
            if (bias != null) {
                RefOps.addColumnSums(gE, rows, d, grads.computeIfAbsent(ModelParameters.INPUT_BIAS, q -> new double[d]));
            }
            return value;
        }
    }
}
