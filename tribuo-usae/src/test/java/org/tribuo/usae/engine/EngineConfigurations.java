package org.tribuo.usae.engine;

import org.junit.jupiter.params.provider.Arguments;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;

import java.util.stream.Stream;

/**
 * The option combinations every engine test covers (each encoder, sparsity, loss, aux loss,
 * dictionary constraint and bias option appears), as (name, architecture, objective) arguments.
 */
final class EngineConfigurations {
    private EngineConfigurations() {
    }

    /**
     * @param m latents.
     * @param k active latents per row.
     * @return the fifteen configurations with ALL_MODELS updates.
     */
    static Stream<Arguments> all(int m, int k) {
        return Stream.of(
                cfg("faithful L1 half-aux", m, k, EncoderKind.BATCHNORM, SparsityKind.TOPK, false, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L1, AuxLossKind.HALF, SourceSelection.RANDOM_ONE),
                cfg("faithful L2 half-aux", m, k, EncoderKind.BATCHNORM, SparsityKind.TOPK, false, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L2, AuxLossKind.HALF, SourceSelection.RANDOM_ONE),
                cfg("BN + decoder bias", m, k, EncoderKind.BATCHNORM, SparsityKind.TOPK, true, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L1, AuxLossKind.HALF, SourceSelection.RANDOM_ONE),
                cfg("fast: BN, dead AuxK", m, k, EncoderKind.BATCHNORM, SparsityKind.TOPK, false, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L1, AuxLossKind.DEAD_AUXK, SourceSelection.RANDOM_ONE),
                cfg("affine pre-bias, no decoder bias", m, k, EncoderKind.AFFINE, SparsityKind.TOPK, false, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L2, AuxLossKind.HALF, SourceSelection.RANDOM_ONE),
                cfg("affine tied bias, dead AuxK", m, k, EncoderKind.AFFINE, SparsityKind.TOPK, true, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L2, AuxLossKind.DEAD_AUXK, SourceSelection.RANDOM_ONE),
                cfg("sparc", m, k, EncoderKind.AFFINE, SparsityKind.GLOBAL_TOPK, true, DictionaryConstraint.UNIT_NORM_PROJECTED,
                        ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK, SourceSelection.ALL),
                cfg("all sources, BN, NMSE, no aux", m, k, EncoderKind.BATCHNORM, SparsityKind.TOPK, false, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.NMSE, AuxLossKind.NONE, SourceSelection.ALL),
                cfg("global TopK with BN and L1 half-aux", m, k, EncoderKind.BATCHNORM, SparsityKind.GLOBAL_TOPK, false, DictionaryConstraint.ROW_NORMALIZED,
                        ReconstructionLoss.L1, AuxLossKind.HALF, SourceSelection.ALL),
                cfg("hybrid TopK, affine, NMSE, dead AuxK", m, k, EncoderKind.AFFINE, SparsityKind.HYBRID_TOPK, true,
                        DictionaryConstraint.UNIT_NORM_PROJECTED, ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK, SourceSelection.ALL),
                cfg("hybrid TopK with BN and L1 half-aux", m, k, EncoderKind.BATCHNORM, SparsityKind.HYBRID_TOPK, false,
                        DictionaryConstraint.ROW_NORMALIZED, ReconstructionLoss.L1, AuxLossKind.HALF, SourceSelection.ALL),
                cfg("batch TopK, affine, NMSE, dead AuxK", m, k, EncoderKind.AFFINE, SparsityKind.BATCH_TOPK, true,
                        DictionaryConstraint.UNIT_NORM_PROJECTED, ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK, SourceSelection.ALL),
                cfg("batch TopK with BN and L2 half-aux, one source", m, k, EncoderKind.BATCHNORM, SparsityKind.BATCH_TOPK,
                        false, DictionaryConstraint.ROW_NORMALIZED, ReconstructionLoss.L2, AuxLossKind.HALF,
                        SourceSelection.RANDOM_ONE),
                cfg("matryoshka (3 levels), affine, NMSE, dead AuxK", m, k, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                        DictionaryConstraint.UNIT_NORM_PROJECTED, ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK,
                        SourceSelection.ALL, 3),
                cfg("matryoshka (2 levels) with BN, L1 half-aux and batch TopK, one source", m, k, EncoderKind.BATCHNORM,
                        SparsityKind.BATCH_TOPK, false, DictionaryConstraint.ROW_NORMALIZED, ReconstructionLoss.L1,
                        AuxLossKind.HALF, SourceSelection.RANDOM_ONE, 2));
    }

    private static Arguments cfg(String name, int m, int k, EncoderKind enc, SparsityKind sp, boolean decBias,
                                 DictionaryConstraint dict, ReconstructionLoss loss, AuxLossKind aux,
                                 SourceSelection sources) {
        return cfg(name, m, k, enc, sp, decBias, dict, loss, aux, sources, 1);
    }

    private static Arguments cfg(String name, int m, int k, EncoderKind enc, SparsityKind sp, boolean decBias,
                                 DictionaryConstraint dict, ReconstructionLoss loss, AuxLossKind aux,
                                 SourceSelection sources, int matryoshkaLevels) {
        // HYBRID_TOPK: half of the slots shared (at least one of each kind); BATCH_TOPK: rows hold up to 2k
        Architecture arch = new Architecture(m, k, enc, sp, decBias, dict,
                sp == SparsityKind.HYBRID_TOPK ? Math.max(1, k / 2) : 0, sp == SparsityKind.BATCH_TOPK ? Math.min(m, 2 * k) : 0);
        Objective obj = new Objective(loss, aux, aux == AuxLossKind.HALF ? 0.1 : 1.0 / 32, 4, 0.7, sources,
                UpdateRule.ALL_MODELS, 5, 1e-3, matryoshkaLevels);
        return Arguments.of(name, arch, obj);
    }

    /** @return the objective with another update rule. */
    static Objective withRule(Objective o, UpdateRule rule) {
        return new Objective(o.reconstruction(), o.aux(), o.auxWeight(), o.auxK(), o.crossWeight(), o.sources(),
                rule, o.deadSteps(), o.fireThreshold(), o.matryoshkaLevels());
    }
}
