package org.tribuo.usae.onnx.cam;

import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.ImagePreprocessor;
import org.tribuo.usae.onnx.extract.TokenPolicy;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;

import java.util.Map;
import java.util.Random;

/** The two PaddleOCR networks as examples/configs/extract-ocr-mnist.xml extracts them, and random USAE rows. */
final class OcrTargets {
    static final String CLS = "models/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    static final String REC = "models/ch_PP-OCRv4_rec_infer.onnx";

    private OcrTargets() {
    }

    static PixelNormalization normalization() {
        ImagePreprocessor pre = new ImagePreprocessor(48, 96).normalize(1 / 255f, new float[]{0.5f}, new float[]{0.5f});
        return PixelNormalization.of(pre, 255f);
    }

    static CamTarget cls() {
        return new CamTarget("cls", Backbone.readResource(CLS), "pool2d_9.tmp_0",
                TokenPolicy.builder(TokenPolicy.Layout.NCHW).resize(1, 12).build(), normalization(), 48, 96);
    }

    static CamTarget rec() {
        return new CamTarget("rec", Backbone.readResource(REC), "transpose_51.tmp_0", TokenPolicy.tokens(),
                normalization(), 48, 96);
    }

    /** Concept {@code k} of a random BatchNorm encoder of width d, m = 8. */
    static ConceptReadout randomConcept(int d, int k, double mu, double sigma, long seed) {
        Random r = new Random(seed);
        int m = 8;
        float[] w = new float[m * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(d));
        }
        float[] ones = new float[m];
        java.util.Arrays.fill(ones, 1f);
        ModelParameters p = ModelParameters.of("m", d, m,
                Map.of(ModelParameters.ENC_WEIGHT, w, ModelParameters.ENC_BIAS, new float[m],
                        ModelParameters.DICTIONARY, w.clone(), ModelParameters.BN_WEIGHT, ones,
                        ModelParameters.BN_BIAS, new float[m]),
                Map.of(ModelParameters.BN_RUNNING_MEAN, new float[m], ModelParameters.BN_RUNNING_VAR, ones.clone()),
                mu, sigma, 0);
        return ConceptReadout.of(p, EncoderKind.BATCHNORM.block(), k);
    }
}
