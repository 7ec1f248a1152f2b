package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.train.TrainingSettings;

import java.util.Set;

/**
 * The build-time constants of the fused step graph, checked against the two steps it implements:
 * FAITHFUL (BatchNorm encoder, per-model TopK, row-normalised dictionary, L1/L2 + half-aux, one random
 * source, source-only updates) and SPARC (affine encoder with tied pre/decoder bias, global TopK,
 * unit-norm projected dictionary, NMSE self + cross terms + dead-latent AuxK, all models every step).
 *
 * @param kind         which step.
 * @param architecture the model shape.
 * @param objective    the loss.
 * @param dims         model widths d, in model order.
 * @param rows         rows per step (fixed per graph).
 * @param gradClip     per-model global-norm clip (0 = none).
 * @param beta1        AdamW beta1.
 * @param beta2        AdamW beta2.
 * @param eps          AdamW epsilon.
 * @param weightDecay  AdamW decoupled weight decay.
 */
record StepSettings(StepKind kind, Architecture architecture, Objective objective, int[] dims, int rows, double gradClip,
                  double beta1, double beta2, double eps, double weightDecay) {

    /** The two steps the graph implements. */
    enum StepKind { FAITHFUL, SPARC }

    /**
     * @param settings the run's settings.
     * @param dims model widths.
     * @param rows rows per step.
     * @return the config.
     * @throws IllegalArgumentException naming the first setting the fused graph does not implement.
     */
    static StepSettings of(TrainingSettings settings, int[] dims, int rows) {
        Architecture a = settings.architecture();
        Objective o = settings.objective();
        StepKind kind = a.encoder() == EncoderKind.BATCHNORM ? StepKind.FAITHFUL : StepKind.SPARC;
        if (kind == StepKind.FAITHFUL) {
            require(kind, "sparsity", a.sparsity(), SparsityKind.TOPK);
            require(kind, "dictionary", a.dictionary(), DictionaryConstraint.ROW_NORMALIZED);
            require(kind, "decoderBias", a.decoderBias(), false);
            require(kind, "sources", o.sources(), SourceSelection.RANDOM_ONE);
            require(kind, "updateRule", o.updateRule(), UpdateRule.SOURCE_ONLY);
            oneOf(kind, "loss", o.reconstruction(), Set.of(ReconstructionLoss.L1, ReconstructionLoss.L2));
            oneOf(kind, "aux", o.aux(), Set.of(AuxLossKind.HALF, AuxLossKind.NONE));
        } else {
            if (!SparsityMasks.supports(a.sparsityBlock())) {
                throw new IllegalArgumentException("the ORT training graph implements the FAITHFUL and SPARC steps; a "
                        + kind + "-style step (encoder AFFINE) needs sparsity = GLOBAL_TOPK or TOPK, got " + a.sparsity());
            }
            require(kind, "dictionary", a.dictionary(), DictionaryConstraint.UNIT_NORM_PROJECTED);
            require(kind, "decoderBias", a.decoderBias(), true);
            require(kind, "sources", o.sources(), SourceSelection.ALL);
            require(kind, "updateRule", o.updateRule(), UpdateRule.ALL_MODELS);
            require(kind, "loss", o.reconstruction(), ReconstructionLoss.NMSE);
            oneOf(kind, "aux", o.aux(), Set.of(AuxLossKind.DEAD_AUXK, AuxLossKind.NONE));
        }
        require(kind, "matryoshkaLevels", o.matryoshkaLevels(), 1);
        if (rows < 2) {
            throw new IllegalArgumentException("the ORT training graph needs at least 2 rows per step, got " + rows);
        }
        if (a.numLatents() < 2) {
            throw new IllegalArgumentException("the ORT training graph needs numLatents >= 2, got " + a.numLatents());
        }
        return new StepSettings(kind, a, o, dims.clone(), rows, settings.gradClip(), settings.adam().beta1(),
                settings.adam().beta2(), settings.adam().eps(), settings.adam().weightDecay());
    }

    private static void require(StepKind kind, String field, Object got, Object expected) {
        if (!expected.equals(got)) {
            throw new IllegalArgumentException("the ORT training graph implements the FAITHFUL and SPARC steps; a "
                    + kind + "-style step (encoder " + (kind == StepKind.FAITHFUL ? "BATCHNORM" : "AFFINE") + ") needs "
                    + field + " = " + expected + ", got " + got);
        }
    }

    private static void oneOf(StepKind kind, String field, Object got, Set<?> allowed) {
        if (!allowed.contains(got)) {
            throw new IllegalArgumentException("the ORT training graph implements the FAITHFUL and SPARC steps; a "
                    + kind + "-style step needs " + field + " in " + allowed + ", got " + got);
        }
    }

    int numModels() { return dims.length; }
    int numLatents() { return architecture.numLatents(); }
    int k() { return architecture.k(); }
    boolean halfAux() { return objective.aux() == AuxLossKind.HALF; }
    boolean deadAuxK() { return objective.aux() == AuxLossKind.DEAD_AUXK; }
}
