package org.tribuo.usae.train;

import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;

/**
 * The value of every recipe-dependent option, per recipe (spec §1-§2 for FAITHFUL, §7 and the
 * SPARC code for SPARC).
 */
record RecipeDefaults(int k, EncoderKind encoder, SparsityKind sparsity, boolean decoderBias,
                      DictionaryConstraint dictionary, boolean tiedInit, ReconstructionLoss loss, AuxLossKind aux,
                      double auxWeight, int auxK, double crossWeight, SourceSelection sources, UpdateRule updateRule,
                      int deadSteps, double fireThreshold, int deadReinitEvery, double learningRate,
                      double finalLearningRate, double warmupStartRate, double warmupFraction, boolean cosineSchedule,
                      boolean schedulePerSource, double weightDecay, double gradClip, int batchSize, int epochs) {

    static RecipeDefaults of(Recipe recipe) {
        return switch (recipe) {
            // warmup: one epoch of the official 30 (warmupFraction 1/30); intended per-global-step schedule
            case FAITHFUL -> new RecipeDefaults(32, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                    DictionaryConstraint.ROW_NORMALIZED, false, ReconstructionLoss.L1, AuxLossKind.HALF, 0.1, 0, 1.0,
                    SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1000, 1e-3, 0, 3e-4, 1e-6, 1e-6, 1.0 / 30,
                    true, false, 1e-5, 1.0, 6272, 30);
            case SPARC -> new RecipeDefaults(64, EncoderKind.AFFINE, SparsityKind.GLOBAL_TOPK, true,
                    DictionaryConstraint.UNIT_NORM_PROJECTED, true, ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK,
                    1.0 / 32, 64, 1.0, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1000, 1e-3, 100, 1e-4, 1e-4, 1e-4,
                    0, false, false, 0, 0, 256, 50);
            // tuned on the planted-concept recovery benchmark (BENCHMARKS.md)
            case ALIGNED -> new RecipeDefaults(32, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                    DictionaryConstraint.UNIT_NORM_PROJECTED, true, ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK,
                    1.0 / 32, 64, 1.0, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1000, 1e-3, 100, 3e-3, 3e-3, 3e-3,
                    0, false, false, 0, 0, 256, 50);
            // FAITHFUL's optimisation and data; only the aux loss changes (dense half-aux -> sparse AuxK)
            case FAST -> new RecipeDefaults(32, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                    DictionaryConstraint.ROW_NORMALIZED, false, ReconstructionLoss.L1, AuxLossKind.DEAD_AUXK, 1.0 / 32,
                    64, 1.0, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1000, 1e-3, 0, 3e-4, 1e-6, 1e-6,
                    1.0 / 30, true, false, 1e-5, 1.0, 6272, 30);
            // ALIGNED's model and loss, FAITHFUL's one-source steps
            case AFFINE_FAST -> new RecipeDefaults(32, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                    DictionaryConstraint.UNIT_NORM_PROJECTED, true, ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK,
                    1.0 / 32, 64, 1.0, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1000, 1e-3, 100, 3e-3, 3e-3,
                    3e-3, 0, false, false, 0, 0, 256, 50);
        };
    }
}
