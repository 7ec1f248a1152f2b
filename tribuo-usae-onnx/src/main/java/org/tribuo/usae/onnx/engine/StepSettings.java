package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.train.TrainingSettings;


/**
 * The build-time constants of the fused step graph ({@link StepGraph}), checked against what it can compose: every
 * block of the recipe needs an emitter ({@link EncoderEmitters}, {@link SparsityMasks}, {@link DictionaryEmitters},
 * {@link CriterionEmitters}, {@link AuxEmitters}), and a step's updated models must be its sources (one set of AdamW
 * scalars per step).
 *
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
record StepSettings(Architecture architecture, Objective objective, int[] dims, int rows, double gradClip,
                  double beta1, double beta2, double eps, double weightDecay) {

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
        if (!EncoderEmitters.supports(a.encoderBlock())) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for encoder " + a.encoder());
        }
        if (!SparsityMasks.supports(a.sparsityBlock())) {
            throw new IllegalArgumentException("the ORT training graph has no mask for sparsity " + a.sparsity()
                    + " (" + a.sparsityBlock().label() + "); it runs " + SparsityMasks.supported());
        }
        if (!DictionaryEmitters.supports(a.dictionary().normalization())) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for dictionary " + a.dictionary());
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
        return new StepSettings(a, o, dims.clone(), rows, settings.gradClip(), settings.adam().beta1(),
                settings.adam().beta2(), settings.adam().eps(), settings.adam().weightDecay());
    }

    int numModels() { return dims.length; }
    int numLatents() { return architecture.numLatents(); }
    int k() { return architecture.k(); }
    /** @return whether each step has one source, so the graph dispatches on it (else every model is a source). */
    boolean oneSource() { return !objective.sources().everyModel(); }
}
