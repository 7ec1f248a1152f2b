package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.TopKSparsity;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The factorised BatchNorm backward ({@link BatchNormBackward}), with G^T·X by scatter and by densified
 * blocks, against central finite differences of {@code L = sum over positive slots of g · BN(X·W^T + b)[n, lat]},
 * computed here in double by a BatchNorm of the test's own. The input columns have large means (x̄ up to
 * 40 against unit spread), so the centring is exercised; 29 rows against a block of
 * {@link DenseSlotBlocks#BLOCK_FLOATS} / 64 rows is one short block.
 */
class BatchNormBackwardTest {
    private static final int ROWS = 29;
    private static final int D = 6;
    private static final int M = 64;
    private static final int SLOTS = 3;   // 3 · 16 <= 64: scatter by default

    private final Architecture arch = new Architecture(M, SLOTS, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
            DictionaryConstraint.ROW_NORMALIZED);
    private final ModelParameters model = TestParams.random(arch, new int[]{D}, 5).model(0);
    private final float[] x = new float[ROWS * D];
    private final SlotCodes codes = new SlotCodes(ROWS, SLOTS, new int[ROWS * SLOTS], new float[ROWS * SLOTS],
            new float[ROWS * SLOTS]);
    private final CpuEncoderPass pass;

    BatchNormBackwardTest() {
        Random rng = new Random(6);
        for (int n = 0; n < ROWS; n++) {
            for (int c = 0; c < D; c++) {
                x[n * D + c] = (float) (8 * c + rng.nextGaussian());
            }
        }
        pass = new CpuEncoderPass(model, EncoderKind.BATCHNORM.block(), x, ROWS, true, new JavaGemm(), new Scratch(), "t");
        Selection.run(TopKSparsity.INSTANCE, new float[][]{pass.pre}, M, codes);
        for (int q = 0; q < codes.grad.length; q++) {
            codes.grad[q] = (float) rng.nextGaussian();
        }
    }

    @ParameterizedTest(name = "scatter {0}")
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferences(boolean scatter) {
        StepGradients grads = new StepGradients(new Scratch(), "t");
        pass.backward(new SlotCodes[]{codes, null}, grads, new JavaGemm(), new Scratch(), scatter);
        double h = 1e-3;
        for (String name : new String[]{ModelParameters.ENC_WEIGHT, ModelParameters.ENC_BIAS,
                ModelParameters.BN_WEIGHT, ModelParameters.BN_BIAS}) {
            float[] analytic = grads.get(name);
            double[][] p = params();
            double[] tensor = p[index(name)];
            double scale = 1;
            for (float v : analytic) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < tensor.length; i++) {
                double keep = tensor[i];
                tensor[i] = keep + h;
                double up = loss(p);
                tensor[i] = keep - h;
                double down = loss(p);
                tensor[i] = keep;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, analytic[i], 2e-4 * scale, name + "[" + i + "]");
            }
        }
    }

    @Test
    void scatterIsChosenForFewSlotsOnly() {
        int ratio = EncoderScatter.SCATTER_RATIO;
        assertTrue(EncoderScatter.sparse(new SlotCodes[]{codes, null}, M));   // 3 slots of 64
        assertTrue(EncoderScatter.sparse(new SlotCodes[]{codes, codes}, 6 * ratio));
        assertFalse(EncoderScatter.sparse(new SlotCodes[]{codes, codes}, 6 * ratio - 1));
    }

    /** W, b, gamma, beta as doubles. */
    private double[][] params() {
        return new double[][]{toDouble(model.encoderWeight()), toDouble(model.encoderBias()),
                toDouble(model.bnWeight()), toDouble(model.bnBias())};
    }

    private static int index(String name) {
        return switch (name) {
            case ModelParameters.ENC_WEIGHT -> 0;
            case ModelParameters.ENC_BIAS -> 1;
            case ModelParameters.BN_WEIGHT -> 2;
            default -> 3;
        };
    }

    /** sum over positive slots of g · (gamma·(h - mu)/sqrt(var + eps) + beta), biased var, in double. */
    private double loss(double[][] p) {
        double[] w = p[0];
        double[] b = p[1];
        double[] gamma = p[2];
        double[] beta = p[3];
        double[] hcol = new double[ROWS];
        double total = 0;
        for (int lat = 0; lat < M; lat++) {
            double mean = 0;
            for (int n = 0; n < ROWS; n++) {
                double v = b[lat];
                for (int c = 0; c < D; c++) {
                    v += x[n * D + c] * w[lat * D + c];
                }
                hcol[n] = v;
                mean += v;
            }
            mean /= ROWS;
            double var = 0;
            for (int n = 0; n < ROWS; n++) {
                var += (hcol[n] - mean) * (hcol[n] - mean);
            }
            var /= ROWS;
            double inv = 1 / Math.sqrt(var + RefEncoderPass.BN_EPS);
            for (int n = 0; n < ROWS; n++) {
                for (int j = 0; j < SLOTS; j++) {
                    int q = n * SLOTS + j;
                    if (codes.idx[q] == lat && codes.val[q] > 0f) {
                        total += codes.grad[q] * (gamma[lat] * (hcol[n] - mean) * inv + beta[lat]);
                    }
                }
            }
        }
        return total;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
