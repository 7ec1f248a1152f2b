package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.onnx.tfjs.NhwcReference.T;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.assertClose;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.assertNchw;
import static org.tribuo.usae.onnx.tfjs.TinyTfjs.config;

/**
 * A small functional Keras model using every supported layer, converted and run in ONNX Runtime, its taps compared
 * with the plain-Java NHWC reference within 1e-5.
 */
class TfjsLayersModelTest {
    @TempDir
    Path dir;

    @Test
    void functionalModelMatchesReference() throws Exception {
        T x = NhwcReference.random(2, 8, 7, 3, 100);
        float[] k = NhwcReference.random(3 * 3 * 3 * 4, 101), kb = NhwcReference.random(4, 102);
        float[] dk = NhwcReference.random(3 * 3 * 4 * 2, 103);
        float[] beta = NhwcReference.random(8, 104), mean = NhwcReference.random(8, 105);
        float[] var = new float[8];
        for (int i = 0; i < 8; i++) {
            var[i] = 0.5f + i * 0.25f;
        }
        float[] w1 = NhwcReference.random(16 * 5, 106), b1 = NhwcReference.random(5, 107);
        float[] w2 = NhwcReference.random(4 * 3 * 8 * 2, 108), b2 = NhwcReference.random(2, 109);
        List<List<Integer>> pad = List.of(List.of(0, 1), List.of(0, 1));
        Path m = TinyTfjs.layers()
                .weight("conv/kernel", new long[]{3, 3, 3, 4}, k).weight("conv/bias", new long[]{4}, kb)
                .weight("dw/depthwise_kernel", new long[]{3, 3, 4, 2}, dk)
                .weight("bn/beta", new long[]{8}, beta).weight("bn/moving_mean", new long[]{8}, mean)
                .weight("bn/moving_variance", new long[]{8}, var)
                .weight("dense/kernel", new long[]{16, 5}, w1).weight("dense/bias", new long[]{5}, b1)
                .weight("dense2/kernel", new long[]{96, 2}, w2).weight("dense2/bias", new long[]{2}, b2)
                .layer("input_1", "InputLayer", config("batch_input_shape", new Integer[]{null, 8, 7, 3}))
                .layer("pad", "ZeroPadding2D", config("padding", pad, "data_format", "channels_last"), "input_1")
                .layer("conv", "Conv2D", config("filters", 4, "kernel_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "valid", "use_bias", true, "activation", "relu"), "pad")
                .layer("dw", "DepthwiseConv2D", config("kernel_size", List.of(3, 3), "strides", List.of(1, 1),
                        "padding", "same", "depth_multiplier", 2, "use_bias", false, "activation", "linear"), "conv")
                .layer("bn", "BatchNormalization", config("axis", -1, "epsilon", 0.001, "scale", false, "center", true),
                        "dw")
                .layer("relu", "ReLU", config("max_value", 6.0), "bn")
                .layer("maxp", "MaxPooling2D", config("pool_size", List.of(2, 2), "strides", List.of(1, 1),
                        "padding", "same"), "relu")
                .layer("avgp", "AveragePooling2D", config("pool_size", List.of(3, 3), "strides", List.of(1, 1),
                        "padding", "same"), "relu")
                .layer("cat", "Concatenate", config("axis", -1), "maxp", "avgp")
                .layer("add", "Add", config(), "maxp", "avgp")
                .layer("gap", "GlobalAveragePooling2D", config("data_format", "channels_last"), "cat")
                .layer("drop", "Dropout", config("rate", 0.5), "gap")
                .layer("dense", "Dense", config("units", 5, "activation", "softmax", "use_bias", true), "drop")
                .layer("flat", "Flatten", config(), "add")
                .layer("dense2", "Dense", config("units", 2, "activation", "sigmoid"), "flat")
                .write(dir);
        TfjsConversion c = TfjsToOnnx.convert(TfjsModel.read(m), ConversionOptions.taps("conv", "relu", "cat", "dense",
                "dense2").withInputShape(2, 8, 7, 3));
        assertEquals("input_1", c.inputName());
        Map<String, float[]> out = TinyTfjs.run(m, ConversionOptions.taps("conv", "relu", "cat", "dense", "dense2")
                .withInputShape(2, 8, 7, 3), x.v());

        T conv = NhwcReference.map(NhwcReference.conv(NhwcReference.pad(x, 0, 1, 0, 1), k, 3, 3, 4, 2, 1, false, false,
                kb), v -> Math.max(v, 0));
        float[] ones = new float[8];
        java.util.Arrays.fill(ones, 1f);
        T relu = NhwcReference.relu6(NhwcReference.batchNorm(NhwcReference.conv(conv, dk, 3, 3, 2, 1, 1, true, true,
                null), ones, beta, mean, var, 0.001));
        T maxp = NhwcReference.pool(relu, 2, 1, true, false);
        T avgp = NhwcReference.pool(relu, 3, 1, true, true);
        T cat = NhwcReference.concat(maxp, avgp, 3);
        float[] dense = NhwcReference.softmaxRows(NhwcReference.dense(NhwcReference.meanHw(cat), 2, w1, 16, 5, b1), 2);
        float[] dense2 = NhwcReference.dense(NhwcReference.add(maxp, avgp).v(), 2, w2, 96, 2, b2);
        for (int i = 0; i < dense2.length; i++) {
            dense2[i] = (float) (1 / (1 + Math.exp(-dense2[i])));
        }
        assertNchw(conv, out.get("conv"), "zero pad + conv + relu");
        assertNchw(relu, out.get("relu"), "depthwise x2 + batch norm + relu6");
        assertNchw(cat, out.get("cat"), "pools + concatenate");
        assertClose(dense, out.get("dense"), "global average pool + dense softmax");
        assertClose(dense2, out.get("dense2"), "add + flatten (NHWC order) + dense sigmoid");
    }
}
