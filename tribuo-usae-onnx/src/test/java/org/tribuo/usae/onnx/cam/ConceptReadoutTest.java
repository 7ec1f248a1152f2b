package org.tribuo.usae.onnx.cam;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConceptReadoutTest {
    // d = 2, m = 2; latent 1 has weights (2, -1), bias 0.5.
    static final float[] W = {1, 1, 2, -1};
    static final float[] DICT = {1, 0, 0, 1};

    @Test
    void batchNormReadoutIsTheStandardisedLinearThenBatchNormValue() {
        // mu = 1, sigma = 2 - 1e-5, so (sigma + 1e-5) = 2 exactly; running mean 0.25, var 4 - 1e-5 (sqrt(var+eps) = 2),
        // gamma 3, beta -1.
        ModelParameters p = ModelParameters.of("m", 2, 2,
                Map.of(ModelParameters.ENC_WEIGHT, W, ModelParameters.ENC_BIAS, new float[]{0, 0.5f},
                        ModelParameters.DICTIONARY, DICT, ModelParameters.BN_WEIGHT, new float[]{1, 3},
                        ModelParameters.BN_BIAS, new float[]{0, -1}),
                Map.of(ModelParameters.BN_RUNNING_MEAN, new float[]{0, 0.25f},
                        ModelParameters.BN_RUNNING_VAR, new float[]{1, 4 - 1e-5f}), 1.0, 2.0 - 1e-5, 0);
        ConceptReadout r = ConceptReadout.of(p, EncoderKind.BATCHNORM.block(), 1);
        // x = (5, 3): standardised (2, 1); h = 2*2 - 1*1 + 0.5 = 3.5; BN: (3.5 - 0.25) / 2 * 3 - 1 = 3.875.
        assertEquals(3.875, r.apply(new float[]{5, 3}), 1e-5);
        // x = (1, 1): standardised (0, 0); h = 0.5; (0.5 - 0.25) / 2 * 3 - 1 = -0.625.
        assertEquals(-0.625, r.apply(new float[]{1, 1}), 1e-5);
    }

    @Test
    void affineReadoutSubtractsTheInputBias() {
        ModelParameters p = ModelParameters.of("m", 2, 2,
                Map.of(ModelParameters.ENC_WEIGHT, W, ModelParameters.ENC_BIAS, new float[]{0, 0.5f},
                        ModelParameters.DICTIONARY, DICT, ModelParameters.INPUT_BIAS, new float[]{1, -1}),
                Map.of(), 0.0, 1.0 - 1e-5, 0);
        ConceptReadout r = ConceptReadout.of(p, EncoderKind.AFFINE.block(), 1);
        // x = (3, 2): (x - b_pre) = (2, 3); 2*2 - 1*3 + 0.5 = 1.5.
        assertEquals(1.5, r.apply(new float[]{3, 2}), 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConceptReadout.of(p, EncoderKind.AFFINE.block(), 2));
        assertTrue(e.getMessage().contains("concept 2"), e.getMessage());
    }
}
