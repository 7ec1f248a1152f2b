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

/**
 * The build-time constants of the fused faithful step graph, checked against what the graph implements.
 *
 * @param dims          model widths d, in model order.
 * @param rows          rows per step (fixed per graph).
 * @param numLatents    m.
 * @param k             active latents per row.
 * @param loss          L1 or L2 reconstruction criterion (mean over all elements).
 * @param halfAux       the official half-aux term (else no aux term).
 * @param auxWeight     its weight.
 * @param gradClip      per-model global-norm clip (0 = none).
 * @param beta1         AdamW beta1.
 * @param beta2         AdamW beta2.
 * @param eps           AdamW epsilon.
 * @param weightDecay   AdamW decoupled weight decay.
 * @param fireThreshold a latent fires where a code exceeds this.
 */
record StepConfig(int[] dims, int rows, int numLatents, int k, ReconstructionLoss loss, boolean halfAux,
                  double auxWeight, double gradClip, double beta1, double beta2, double eps, double weightDecay,
                  double fireThreshold) {

    /**
     * @param settings the run's settings.
     * @param dims model widths.
     * @param rows rows per step.
     * @return the config.
     * @throws IllegalArgumentException naming the first setting the fused graph does not implement yet.
     */
    static StepConfig of(TrainingSettings settings, int[] dims, int rows) {
        Architecture a = settings.architecture();
        Objective o = settings.objective();
        require("encoder", a.encoder(), EncoderKind.BATCHNORM);
        require("sparsity", a.sparsity(), SparsityKind.TOPK);
        require("dictionary", a.dictionary(), DictionaryConstraint.ROW_NORMALIZED);
        require("decoderBias", a.decoderBias(), false);
        require("sources", o.sources(), SourceSelection.RANDOM_ONE);
        require("updateRule", o.updateRule(), UpdateRule.SOURCE_ONLY);
        require("deadReinitEvery", settings.deadReinitEvery(), 0);
        if (o.reconstruction() != ReconstructionLoss.L1 && o.reconstruction() != ReconstructionLoss.L2) {
            throw new IllegalArgumentException("the ORT training graph implements loss L1 or L2 so far, got " + o.reconstruction());
        }
        if (o.aux() != AuxLossKind.HALF && o.aux() != AuxLossKind.NONE) {
            throw new IllegalArgumentException("the ORT training graph implements aux HALF or NONE so far, got " + o.aux());
        }
        if (rows < 2) {
            throw new IllegalArgumentException("BatchNorm training needs at least 2 rows per step, got " + rows);
        }
        if (a.numLatents() < 2) {
            throw new IllegalArgumentException("the ORT training graph needs numLatents >= 2, got " + a.numLatents());
        }
        return new StepConfig(dims.clone(), rows, a.numLatents(), a.k(), o.reconstruction(), o.aux() == AuxLossKind.HALF,
                o.auxWeight(), settings.gradClip(), settings.adam().beta1(), settings.adam().beta2(), settings.adam().eps(),
                settings.adam().weightDecay(), o.fireThreshold());
    }

    private static void require(String field, Object got, Object expected) {
        if (!expected.equals(got)) {
            throw new IllegalArgumentException("the ORT training graph implements the FAITHFUL step so far: " + field
                    + " must be " + expected + ", got " + got);
        }
    }

    int numModels() {
        return dims.length;
    }
}
