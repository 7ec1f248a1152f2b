package org.tribuo.usae.engine;

import org.tribuo.usae.sae.TopK;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** TopK edge cases and BatchNorm train/eval semantics, on hand-made inputs worked out here. */
class TopKAndBatchNormTest {

    @Test
    void tiesGoToTheLowerIndexAndOrderIsDescending() {
        int[] out = new int[3];
        TopK.select(new double[]{1, 5, 5, 2, 5}, 0, 5, 3, out, 0);
        assertArrayEquals(new int[]{1, 2, 4}, out);
        TopK.select(new float[]{0.5f, 3f, -1f, 3f}, 0, 4, 2, out, 0);
        assertArrayEquals(new int[]{1, 3}, Arrays.copyOf(out, 2));
        TopK.select(new double[]{9, 8, 7}, 0, 3, 3, out, 0); // k = n
        assertArrayEquals(new int[]{0, 1, 2}, out);
    }

    /**
     * One model, identity-like encoder (AFFINE, W = I, b = 0) so pre = x: a row with fewer than k
     * positive entries selects zeros, which carry value 0 and no gradient.
     */
    @Test
    void rowsWithFewerThanKPositivesGetZeroCodesAndNoGradientThroughThem() {
        Architecture arch = new Architecture(4, 3, EncoderKind.AFFINE, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        ModelParameters p = new ModelParameters("a", 4, arch);
        for (int j = 0; j < 4; j++) {
            p.encoderWeight()[j * 4 + j] = 1f;
            p.dictionary()[j * 4 + j] = 1f;
        }
        UsaeParameters params = new UsaeParameters(arch, List.of(p));
        float[] x = {2f, -1f, 0.5f, -3f,   // two positives for k = 3
                     -1f, -2f, -3f, -4f};  // none
        for (Engine engine : new Engine[]{new ReferenceEngine(), new CpuEngine()}) {
            SparseCodes codes = engine.encode(params, 0, x, 2);
            assertEquals(0, codes.indices()[0]);
            assertEquals(2f, codes.values()[0]);
            assertEquals(2, codes.indices()[1]);
            assertEquals(0.5f, codes.values()[1]);
            assertEquals(0f, codes.values()[2]);
            assertArrayEquals(new float[]{0f, 0f, 0f}, Arrays.copyOfRange(codes.values(), 3, 6));
            assertEquals(2.0 / 2, codes.meanL0(), 1e-12);
            Objective obj = new Objective(ReconstructionLoss.L2, AuxLossKind.NONE, 0, 0, 0,
                    SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 10, 0);
            StepOutput out = engine.forwardBackward(params, new Batch(new long[]{0, 1}, new float[][]{x.clone()},
                    new int[]{4}), new int[]{0}, obj, null);
            float[] dW = out.gradients().get(0).get(ModelParameters.ENC_WEIGHT);
            // reconstruction is exact on the positive entries; the negative latents 1 and 3 are never
            // active, so their encoder rows get no gradient
            for (int c = 0; c < 4; c++) {
                assertEquals(0f, dW[4 + c], 1e-7);
                assertEquals(0f, dW[12 + c], 1e-7);
            }
            assertEquals(1.0, out.meanL0(), 1e-12);
        }
    }

    /**
     * BatchNorm with W = I: train mode normalises with the biased batch variance and reports the
     * unbiased one; eval mode uses the running statistics.
     */
    @Test
    void batchNormTrainAndEvalFollowPyTorch() {
        Architecture arch = new Architecture(2, 1, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        ModelParameters p = new ModelParameters("a", 2, arch);
        p.encoderWeight()[0] = 1f;
        p.encoderWeight()[3] = 1f;
        p.bnWeight()[0] = 2f;
        p.bnBias()[0] = 0.5f;
        p.bnRunningMean()[0] = 1f;
        p.bnRunningVar()[0] = 4f;
        UsaeParameters params = new UsaeParameters(arch, List.of(p));
        // latent 0 sees column 0: values 1, 3 -> mean 2, biased var 1, unbiased var 2
        float[] x = {1f, -9f, 3f, -9f};
        RefEncoderPass train = new RefEncoderPass(RefModel.of(p), EncoderKind.BATCHNORM.block(), RefModel.toDouble(x), 2, true);
        double inv = 1 / Math.sqrt(1 + 1e-5);
        assertEquals(2 * (-1 * inv) + 0.5, train.pre[0], 1e-12);
        assertEquals(2 * (1 * inv) + 0.5, train.pre[2], 1e-12);
        assertEquals(2.0, train.batchMean[0], 1e-12);
        assertEquals(2.0, train.batchVarUnbiased[0], 1e-12);
        RefEncoderPass eval = new RefEncoderPass(RefModel.of(p), EncoderKind.BATCHNORM.block(), RefModel.toDouble(x), 2, false);
        assertNull(eval.batchMean);
        assertEquals(2 * (3 - 1) / Math.sqrt(4 + 1e-5) + 0.5, eval.pre[2], 1e-12);
        // the float engine's eval encode agrees: row 1's code is latent 0 with that value
        SparseCodes codes = new CpuEngine().encode(params, 0, x, 2);
        assertEquals(0, codes.indices()[1]);
        assertEquals(2 * (3 - 1) / Math.sqrt(4 + 1e-5) + 0.5, codes.values()[1], 1e-5);
    }
}
