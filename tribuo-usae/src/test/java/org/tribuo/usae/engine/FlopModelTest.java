package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worked FLOP counts on a hand-made shape: widths {2, 3} (D = 5), m = 8, k = 2, N = 4 rows, auxK = 4. */
class FlopModelTest {
    private static final int[] DIMS = {2, 3};

    private static Architecture arch(EncoderKind enc, SparsityKind sp, int m, int k) {
        return new Architecture(m, k, enc, sp, false, DictionaryConstraint.ROW_NORMALIZED);
    }

    private static Objective obj(AuxLossKind aux, SourceSelection sel, UpdateRule rule, double cross) {
        return new Objective(ReconstructionLoss.L1, aux, 0.1, 4, cross, sel, rule, 5, 1e-3);
    }

    @Test
    void faithfulIsTheIssuesFormulaPlusSparseMainTerms() {
        Architecture a = arch(EncoderKind.BATCHNORM, SparsityKind.TOPK, 8, 2);
        Objective o = obj(AuxLossKind.HALF, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1.0);
        FlopModel.StepFlops f0 = FlopModel.step(a, o, DIMS, 4, new int[]{0});
        // dense 2·N·m·(3·d_s + 2·D) = 2·4·8·(6 + 10) = 1024
        assertEquals(1024, f0.dense());
        // decode 2·4·2·5 = 80, code gradient 80, source dictionary 2·4·2·2 = 32: 192
        assertEquals(192, f0.sparse());
        assertEquals(128, f0.encoderRoofline());   // 2·4·2·8
        FlopModel.StepFlops f1 = FlopModel.step(a, o, DIMS, 4, new int[]{1});
        assertEquals(1216, f1.dense());            // 64·(9 + 10)
        assertEquals(208, f1.sparse());            // 80 + 80 + 2·4·2·3
        FlopModel.StepFlops e = FlopModel.expected(a, o, DIMS, 4);
        assertEquals(1120, e.dense());             // (1024 + 1216) / 2
        assertEquals(200, e.sparse());
        assertEquals(160, e.encoderRoofline());    // (128 + 192) / 2
        assertEquals(1320, e.total());
    }

    @Test
    void updatingAllModelsAddsTheirAuxDictionaryGradients() {
        Architecture a = arch(EncoderKind.BATCHNORM, SparsityKind.TOPK, 8, 2);
        Objective o = obj(AuxLossKind.HALF, SourceSelection.RANDOM_ONE, UpdateRule.ALL_MODELS, 1.0);
        FlopModel.StepFlops f0 = FlopModel.step(a, o, DIMS, 4, new int[]{0});
        // the target's dictionary (d = 3) now gets gradients: + 2·4·8·3 = 192 dense, + 2·4·2·3 = 48 sparse
        assertEquals(1024 + 192, f0.dense());
        assertEquals(192 + 48, f0.sparse());
    }

    @Test
    void sparcEncodesEveryStreamAndStaysSparseBehind() {
        Architecture a = arch(EncoderKind.AFFINE, SparsityKind.GLOBAL_TOPK, 8, 2);
        Objective o = obj(AuxLossKind.DEAD_AUXK, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1.0);
        FlopModel.StepFlops f = FlopModel.expected(a, o, DIMS, 4);
        assertEquals(320, f.dense());              // 2·N·m·D = 2·4·8·5
        assertEquals(320, f.encoderRoofline());
        // per source: main 3·(2·4·2·5) = 240; AuxK 3·2·4·4·d_s; scatter 2·4·(2+4)·d_s; pre-bias 2·8·d_s
        // s = 0: 240 + 192 + 96 + 32 = 560; s = 1: 240 + 288 + 144 + 48 = 720
        assertEquals(1280, f.sparse());
    }

    @Test
    void fastBatchNormFactorisesTheWeightGradientThroughTheGramMatrix() {
        Architecture a = arch(EncoderKind.BATCHNORM, SparsityKind.TOPK, 8, 2);
        Objective o = obj(AuxLossKind.DEAD_AUXK, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1.0);
        FlopModel.StepFlops f = FlopModel.step(a, o, DIMS, 4, new int[]{1});
        // U 2·4·3·8 = 192, X^T·X 2·4·9 = 72, (X^T·X)·W^T 2·9·8 = 144
        assertEquals(408, f.dense());
        // main 80 + 80 + 48, AuxK 3·2·4·4·3 = 288, scatter 2·4·6·3 = 144
        assertEquals(640, f.sparse());
    }

    @Test
    void zeroCrossWeightDecodesIntoTheSourceOnly() {
        Architecture a = arch(EncoderKind.AFFINE, SparsityKind.TOPK, 8, 2);
        Objective o = obj(AuxLossKind.NONE, SourceSelection.ALL, UpdateRule.ALL_MODELS, 0.0);
        FlopModel.StepFlops f = FlopModel.step(a, o, DIMS, 4, new int[]{0, 1});
        // per source: main 3·2·4·2·d_s = 48·d_s, scatter 2·4·2·d_s = 16·d_s, pre-bias 16·d_s: 80·5 = 400
        assertEquals(400, f.sparse());
        assertEquals(320, f.dense());
    }

    @Test
    void paperShapeFaithfulMatchesTheIssue() {
        Architecture a = arch(EncoderKind.BATCHNORM, SparsityKind.TOPK, 6144, 32);
        Objective o = obj(AuxLossKind.HALF, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1.0);
        int[] dims = {768, 384, 768};
        FlopModel.StepFlops f = FlopModel.step(a, o, dims, 6272, new int[]{0});
        assertEquals(473_520_144_384.0, f.dense());         // 2·6272·6144·(3·768 + 2·1920)
        assertEquals(59_190_018_048.0, f.encoderRoofline()); // 2·6272·768·6144
        assertEquals(443_925_135_360.0, FlopModel.expected(a, o, dims, 6272).dense()); // mean d_s 640
        assertTrue(f.sparse() < 0.01 * f.dense());
    }

    @Test
    void badSourceIsNamed() {
        Architecture a = arch(EncoderKind.AFFINE, SparsityKind.TOPK, 8, 2);
        Objective o = obj(AuxLossKind.NONE, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlopModel.step(a, o, DIMS, 4, new int[]{2}));
        assertTrue(e.getMessage().contains("source 2"), e.getMessage());
    }
}
