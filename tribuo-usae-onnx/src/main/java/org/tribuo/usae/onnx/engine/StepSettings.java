package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.train.TrainingSettings;


/**
 * The build-time constants of the fused step graph, checked against the two steps it implements, one per encoder:
 * the BatchNorm-encoder step ({@link BatchNormStepGraph}: per-model TopK, row-normalised dictionary, one random
 * source, source-only updates: FAITHFUL, FAST) and the affine-encoder step ({@link AffineStepGraph}: tied
 * pre/decoder bias, any sparsity with a mask emitter, unit-norm projected dictionary, self and cross terms with
 * optional Matryoshka prefixes, every model or one random source: SPARC, ALIGNED, AFFINE_FAST, BATCH_TOPK,
 * MATRYOSHKA). Both take any reconstruction criterion and auxiliary loss with an emitter ({@link CriterionEmitters},
 * {@link AuxEmitters}).
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

    /** The two steps the graph implements, named by their encoder. */
    enum StepKind {
        BATCHNORM_ENCODER("BATCHNORM"),
        AFFINE_ENCODER("AFFINE");

        private final String encoder;

        StepKind(String encoder) {
            this.encoder = encoder;
        }
    }

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
        StepKind kind = a.encoderBlock().normalizesOverBatch() ? StepKind.BATCHNORM_ENCODER : StepKind.AFFINE_ENCODER;
        if (kind == StepKind.BATCHNORM_ENCODER) {
            require(kind, "sparsity", a.sparsity(), SparsityKind.TOPK);
            require(kind, "dictionary", a.dictionary(), DictionaryConstraint.ROW_NORMALIZED);
            require(kind, "decoderBias", a.decoderBias(), false);
            require(kind, "sources", o.sources(), SourceSelection.RANDOM_ONE);
            require(kind, "updateRule", o.updateRule(), UpdateRule.SOURCE_ONLY);

            require(kind, "matryoshkaLevels", o.matryoshkaLevels(), 1);
        } else {
            if (!SparsityMasks.supports(a.sparsityBlock())) {
                throw new IllegalArgumentException("the ORT training graph has no mask for sparsity " + a.sparsity()
                        + " (" + a.sparsityBlock().label() + "); it runs " + SparsityMasks.supported()
                        + " with encoder AFFINE");
            }
            require(kind, "dictionary", a.dictionary(), DictionaryConstraint.UNIT_NORM_PROJECTED);
            require(kind, "decoderBias", a.decoderBias(), true);
        }
        if (o.sources().everyModel() != o.updateRule().everyModel()) {
            // one set of AdamW scalars per step: the models a step updates are its sources
            throw new IllegalArgumentException("the ORT training graph pairs sources = ALL with updateRule = ALL_MODELS "
                    + "and RANDOM_ONE with SOURCE_ONLY; got " + o.sources() + " with " + o.updateRule());
        }
        if (!CriterionEmitters.supports(o.reconstruction().criterion())) {
            throw new IllegalArgumentException("the ORT training graph emits the reconstruction criteria "
                    + CriterionEmitters.supported() + ", got loss = " + o.reconstruction());
        }
        if (!AuxEmitters.supports(o.auxBlock())) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for the auxiliary loss "
                    + o.auxBlock().label() + " (aux = " + o.aux() + ")");
        }
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
            throw new IllegalArgumentException("the ORT training graph's step for encoder " + kind.encoder + " needs "
                    + field + " = " + expected + ", got " + got);
        }
    }

    int numModels() { return dims.length; }
    int numLatents() { return architecture.numLatents(); }
    int k() { return architecture.k(); }
    /** @return whether each step has one source, so the graph dispatches on it (else every model is a source). */
    boolean oneSource() { return !objective.sources().everyModel(); }
}
