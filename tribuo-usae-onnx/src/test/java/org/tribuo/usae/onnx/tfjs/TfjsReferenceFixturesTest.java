package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.onnx.tfjs.TfjsReferenceFixtures.Comparison;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the tfjs reference fixtures themselves and the helper that compares against them: the Java image generator
 * rebuilds the script's inputs bit for bit, the documented sampling reproduces the stored positions, and
 * {@link TfjsReferenceFixtures#check} accepts the reference itself and rejects wrong layouts and values.
 */
class TfjsReferenceFixturesTest {
    private static final String MID = "mobilenet_v2_mid";
    private static TfjsReferenceFixtures fixtures;

    @BeforeAll
    static void load() {
        fixtures = TfjsReferenceFixtures.load();
    }

    @Test
    void listsTheFourNetsAndTheirTaps() {
        assertEquals(List.of("coco_ssd", "mobilenet_v2", MID, "inception_v3"), fixtures.nets());
        assertEquals(3, fixtures.imageCount());
        assertEquals("FeatureExtractor/MobilenetV2/Conv_1/Relu6", fixtures.nodeName("coco_ssd", "Conv_1/Relu6"));
        assertEquals("Preprocessor/map/TensorArrayStack/TensorArrayGatherV3", fixtures.inputNode("coco_ssd"));
        assertArrayEquals(new int[]{1, 576, 19, 19}, fixtures.shapeNchw("coco_ssd", "expanded_conv_13/expand/Relu6"));
        assertArrayEquals(new int[]{1, 17, 17, 768}, fixtures.shapeNhwc("inception_v3", "mixed7"));
        assertArrayEquals(new int[]{1, 1792}, fixtures.shapeNchw(MID, "feature_vector"));
        assertThrows(IllegalArgumentException.class, () -> fixtures.taps("resnet"));
        assertThrows(IllegalArgumentException.class, () -> fixtures.nodeName(MID, "mixed7"));
    }

    @Test
    void javaRebuildsTheScriptsInputsBitForBit() {
        for (String net : fixtures.nets()) {
            int s = fixtures.inputSize(net);
            for (int image = 0; image < fixtures.imageCount(); image++) {
                assertEquals(fixtures.expectedImageSha256(net, image),
                        TfjsReferenceFixtures.sha256(fixtures.imagePixels(image, s, s)), net + " image " + image + " pixels");
                assertEquals(fixtures.expectedInputSha256(net, image),
                        TfjsReferenceFixtures.sha256(TfjsReferenceFixtures.float32LittleEndian(fixtures.inputNhwc(net, image))),
                        net + " image " + image + " float32 input");
            }
        }
    }

    @Test
    void nchwInputIsTheTransposedNhwcInput() {
        float[] nhwc = fixtures.inputNhwc("mobilenet_v2", 1);
        float[] nchw = fixtures.inputNchw("mobilenet_v2", 1);
        int s = 224;
        // pixel (y=5, x=200), channel 2
        assertEquals(nhwc[(5 * s + 200) * 3 + 2], nchw[(2 * s + 5) * s + 200]);
        // the pattern image: R is the horizontal ramp, so x = W-1 is 255/255 = 1
        assertEquals(1f, nchw[(0 * s + 7) * s + (s - 1)]);
        assertEquals(255f, fixtures.inputNhwc("coco_ssd", 1)[(0 * 300 + 299) * 3]);
    }

    @Test
    void storedPositionsFollowTheDocumentedSampling() {
        int seed = (int) fixtures.manifest().get("generator").get("sample_seed").asLong();
        int samples = fixtures.manifest().get("samples").asInt();
        for (String net : fixtures.nets()) {
            for (String tap : fixtures.taps(net)) {
                long total = 1;
                for (int d : fixtures.shapeNhwc(net, tap)) {
                    total *= d;
                }
                assertArrayEquals(TfjsReferenceFixtures.samplePositions(total, samples, seed), fixtures.sampledPositions(net, tap),
                        net + "/" + tap);
            }
        }
    }

    @Test
    void nchwIndexMapsEveryNhwcElement() {
        int[] nhwc = {1, 3, 4, 5};
        float[] nhwcData = new float[60];
        float[] nchwData = new float[60];
        for (int h = 0; h < 3; h++) {
            for (int w = 0; w < 4; w++) {
                for (int c = 0; c < 5; c++) {
                    float v = 100 * h + 10 * w + c;
                    nhwcData[(h * 4 + w) * 5 + c] = v;
                    nchwData[(c * 3 + h) * 4 + w] = v;
                }
            }
        }
        for (int i = 0; i < 60; i++) {
            assertEquals(nhwcData[i], nchwData[TfjsReferenceFixtures.nchwIndex(i, nhwc)]);
        }
        assertEquals(17, TfjsReferenceFixtures.nchwIndex(17, new int[]{1, 40}));
    }

    @Test
    void featureVectorIsTheAveragePoolOfConv1() {
        // The TF-Hub graph's feature vector is AvgPool over the 7x7 Conv_1 map: a consistency check of two taps
        // written through different code paths (sampled values and channel means).
        for (int image = 0; image < fixtures.imageCount(); image++) {
            float[] pooled = fixtures.sampledValues(MID, "feature_vector", image);
            float[] means = fixtures.channelMeans(MID, "Conv_1/Relu6", image);
            assertEquals(pooled.length, means.length);
            for (int c = 0; c < means.length; c++) {
                assertEquals(means[c], pooled[c], 1e-5f * 6, "image " + image + " channel " + c);
            }
        }
    }

    @Test
    void checkAcceptsTheReferenceAndRejectsAWrongValue() {
        // The feature vector is small enough to be stored whole, so it can be fed back as a complete output.
        float[] whole = fixtures.sampledValues(MID, "feature_vector", 2);
        int[] shape = fixtures.shapeNchw(MID, "feature_vector");
        Comparison ok = fixtures.check(MID, "feature_vector", 2, whole.clone(), shape, 1e-6);
        assertTrue(ok.passed(), ok.describe());
        assertEquals(1792, ok.samples());
        assertTrue(ok.worstRelative() < 1e-6, ok.describe());
        // without the batch dimension
        assertTrue(fixtures.check(MID, "feature_vector", 2, whole.clone(), new int[]{1792}, 1e-6).passed());

        float[] wrong = whole.clone();
        wrong[100] += 0.05f * (float) fixtures.statistics(MID, "feature_vector", 2).maxAbs();
        AssertionError e = assertThrows(AssertionError.class, () -> fixtures.check(MID, "feature_vector", 2, wrong, shape, 1e-2));
        assertTrue(e.getMessage().contains("NHWC [0, 100]"), e.getMessage());
        // the same perturbation is within a loose enough tolerance
        assertTrue(fixtures.compare(MID, "feature_vector", 2, wrong, shape, 0.1).passed());
        // another image's output
        assertFalse(fixtures.compare(MID, "feature_vector", 0, whole, shape, 1e-3).passed());
        assertThrows(IllegalArgumentException.class, () -> fixtures.check(MID, "feature_vector", 2, whole, new int[]{1, 1791}, 1e-3));
    }

    @Test
    void checkReadsSpatialOutputsAsNchw() {
        // A spatial tap is stored only at sampled positions, so build an output that holds tfjs's values there (and
        // zeros elsewhere): the samples match in NCHW and do not when the same array is laid out NHWC.
        String net = "inception_v3";
        String tap = "mixed7";
        int[] nhwc = fixtures.shapeNhwc(net, tap);
        int[] nchw = fixtures.shapeNchw(net, tap);
        long[] positions = fixtures.sampledPositions(net, tap);
        float[] values = fixtures.sampledValues(net, tap, 0);
        float[] asNchw = new float[17 * 17 * 768];
        float[] asNhwc = new float[asNchw.length];
        for (int i = 0; i < positions.length; i++) {
            asNchw[TfjsReferenceFixtures.nchwIndex(positions[i], nhwc)] = values[i];
            asNhwc[(int) positions[i]] = values[i];
        }
        Comparison right = fixtures.compare(net, tap, 0, asNchw, nchw, 1e-6);
        assertEquals(0.0, right.worstSample(), right.describe());
        // only the statistics fail: the zeros elsewhere change means and channel means
        assertTrue(right.failures().stream().noneMatch(f -> f.startsWith("NHWC")), right.describe());
        Comparison transposed = fixtures.compare(net, tap, 0, asNhwc, nchw, 1e-3);
        assertTrue(transposed.failures().stream().anyMatch(f -> f.startsWith("NHWC")), transposed.describe());
    }
}
