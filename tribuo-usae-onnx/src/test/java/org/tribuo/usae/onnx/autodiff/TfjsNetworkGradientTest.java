package org.tribuo.usae.onnx.autodiff;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.usae.onnx.tfjs.NpmTarball;
import org.tribuo.usae.onnx.tfjs.TfjsConversion;
import org.tribuo.usae.onnx.tfjs.TfjsModel;
import org.tribuo.usae.onnx.tfjs.TfjsNetwork;
import org.tribuo.usae.onnx.tfjs.TfjsToOnnx;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Input gradients of the four real TensorFlow.js CNNs ({@link TfjsNetwork#known()}: SSDLite-MobileNetV2 of
 * COCO-SSD, MobileNetV2 alpha 1.0 and 1.4, InceptionV3), converted to ONNX with their NHWC image input, at every
 * tap, at their native input size, batch 1: the vector of 8 directional derivatives agrees with central
 * differences within 10% in aggregate (docs/cam.md). Their paths hold Transpose, Pad (ZeroPadding2D), Conv with
 * asymmetric SAME pads, depthwise Conv, BatchNormalization, Clip (Relu6, bounds as inputs), Relu, Add, Mul, Sub,
 * MaxPool, AveragePool with {@code count_include_pad=0} and Concat. Skipped only where npm, which fetches the
 * packages, is not installed.
 */
class TfjsNetworkGradientTest {

    static Stream<String> networks() {
        return TfjsNetwork.known().stream().map(TfjsNetwork::key);
    }

    /** The network converted as {@link TfjsNetwork#conversion()} gives it (NHWC input, its taps as outputs). */
    static TfjsConversion convert(TfjsNetwork network) {
        try {
            return TfjsToOnnx.convert(TfjsModel.read(network.modelFolder(NpmTarball.defaultCache(),
                    System.out::println)), network.conversion());
        } catch (NpmTarball.NpmMissingException e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
    }

    /**
     * A smooth random NHWC image {@code [1, size, size, 3]} on the network's pixel scale (0..1 or 0..255), away
     * from black and white: low-frequency waves plus a little noise, like a photograph more than like noise,
     * so that few Relu6 kinks lie within the difference step.
     */
    static float[] image(int size, float pixelScale, long seed) {
        Random r = new Random(seed);
        float[] x = new float[size * size * 3];
        double[][] wave = new double[3][3];
        for (double[] c : wave) {
            c[0] = 0.02 + 0.06 * r.nextDouble();
            c[1] = 0.02 + 0.06 * r.nextDouble();
            c[2] = 6 * r.nextDouble();
        }
        for (int y = 0; y < size; y++) {
            for (int xx = 0; xx < size; xx++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0.5 + 0.3 * Math.sin(wave[c][0] * xx + wave[c][1] * y + wave[c][2]) + 0.03 * r.nextGaussian();
                    x[(y * size + xx) * 3 + c] = (float) (255 * v * pixelScale);
                }
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void everyTapsInputGradientMatchesCentralDifferences(String key) {
        TfjsNetwork network = TfjsNetwork.byKey(key);
        long t0 = System.nanoTime();
        TfjsConversion c = convert(network);
        byte[] model = c.toByteArray();
        long[] shape = {1, network.inputSize(), network.inputSize(), 3};
        float[] x = image(network.inputSize(), network.pixelScale(), 3);
        System.out.printf("%s: converted in %.1f s%n", key, (System.nanoTime() - t0) / 1e9);
        for (int t = 0; t < c.outputNames().size(); t++) {
            String tap = c.outputNames().get(t);
            long t1 = System.nanoTime();
            GradientGraph gg = GradientGraphBuilder.build(key, model, c.inputName(), shape, tap);
            long[] expected = c.outputShapes().get(t).clone();
            expected[0] = 1;
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(gg.outputShape()), tap);
            long t2 = System.nanoTime();
            // Unit-norm directions; the step is 1% of the pixel range (0.01 or 2.55) along them.
            GradientGraphBuilderTest.assertAgreesInAggregate(gg, x, 40 + t, 8, 2.55 * network.pixelScale(), 0.1);
            System.out.printf("%s %s: gradient graph built in %.1f s, checked in %.1f s%n", key, tap,
                    (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
        }
    }
}
