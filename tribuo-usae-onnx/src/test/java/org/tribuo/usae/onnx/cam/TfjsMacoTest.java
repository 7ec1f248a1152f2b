package org.tribuo.usae.onnx.cam;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tribuo.usae.onnx.extract.TokenPolicy;
import org.tribuo.usae.onnx.tfjs.NpmTarball;
import org.tribuo.usae.onnx.tfjs.TfjsConversion;
import org.tribuo.usae.onnx.tfjs.TfjsModel;
import org.tribuo.usae.onnx.tfjs.TfjsNetwork;
import org.tribuo.usae.onnx.tfjs.TfjsToOnnx;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MACO end to end on the TensorFlow.js CNNs converted to ONNX (the vision experiment of issue 18): the objective
 * graph wraps the converted network (NCHW input) and a concept that is a fixed random direction on its last
 * tap's tokens (no USAE is needed to exercise MACO: {@link ConceptReadout} is just an affine map of a token).
 * Skipped only where npm, which fetches the packages, is not installed.
 */
class TfjsMacoTest {

    /** A converted network as MACO sees it, and the width C of its tap's tokens. */
    record TapTarget(CamTarget target, int channels) {
    }

    /**
     * The network converted with an NCHW input, as {@link ConceptObjective} feeds it, and its last tap as tokens
     * ({@code [N, C, h, w]} -> h*w tokens of width C).
     */
    static TapTarget target(TfjsNetwork network) {
        TfjsConversion c;
        try {
            c = TfjsToOnnx.convert(TfjsModel.read(network.modelFolder(NpmTarball.defaultCache(), System.out::println)),
                    network.conversion().withNchwInput());
        } catch (NpmTarball.NpmMissingException e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
        // Pixels in [0, 1] -> the network's own scale (x 255 x pixelScale): mean 0, std 1 / (255 pixelScale).
        float std = 1f / (255f * network.pixelScale());
        PixelNormalization scale = new PixelNormalization(new float[3], new float[]{std, std, std}, false);
        int last = c.outputNames().size() - 1;
        return new TapTarget(new CamTarget(network.key(), c.toByteArray(), c.outputNames().get(last),
                TokenPolicy.builder(TokenPolicy.Layout.NCHW).build(), scale, network.inputSize(), network.inputSize()),
                (int) c.outputShapes().get(last)[1]);
    }

    /** A concept that is a random unit direction (scaled by 1/sqrt(width)) over the tap's channels. */
    static ConceptReadout randomDirection(int width, long seed) {
        Random r = new Random(seed);
        float[] d = new float[width];
        for (int i = 0; i < width; i++) {
            d[i] = (float) (r.nextGaussian() / Math.sqrt(width));
        }
        return new ConceptReadout(0, d, 0);
    }

    /**
     * Runs {@code steps} MACO steps on one network with an image of the network's input size; prints the time per
     * step.
     *
     * @return the start image's and the optimised image's objective (whole-image crop), and the random images'.
     */
    static double[] run(TfjsNetwork network, MacoOptions config) {
        TapTarget tapTarget = target(network);
        CamTarget target = tapTarget.target();
        ConceptReadout concept = randomDirection(tapTarget.channels(), 17);
        long t0 = System.nanoTime();
        MacoResult res;
        try (Maco maco = new Maco(target, concept, config, 0)) {
            long t1 = System.nanoTime();
            res = maco.run();
            long t2 = System.nanoTime();
            System.out.printf("%s (%s, %dx%d, %d crops): MACO graph built in %.1f s; %.2f s per step over %d steps;"
                            + " trace %.4f -> %.4f%n", network.key(), target.tap(), config.imageHeight(),
                    config.imageWidth(), config.crops(), (t1 - t0) / 1e9, (t2 - t1) / 1e9 / config.steps(),
                    config.steps(), res.trace()[0], res.trace()[res.trace().length - 1]);
        }
        try (ConceptScorer scorer = new ConceptScorer(target, concept, 0)) {
            double start = scorer.score(new SpectralImage(config.imageHeight(), config.imageWidth(), config.seed())
                    .render(), config.imageHeight(), config.imageWidth());
            double[] pixels = new double[res.pixels().length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = res.pixels()[i];
            }
            double optimised = scorer.score(pixels, res.height(), res.width());
            double[] random = MacoTest.randomScores(scorer, res.height(), res.width());
            double[] out = new double[2 + random.length];
            out[0] = start;
            out[1] = optimised;
            System.arraycopy(random, 0, out, 2, random.length);
            return out;
        }
    }

    /** Mean plus {@code k} sample standard deviations of {@code v[from..to)}. */
    static double meanPlusSd(double[] v, int from, int to, double k) {
        double mean = 0;
        int n = to - from;
        for (int i = from; i < to; i++) {
            mean += v[i] / n;
        }
        double var = 0;
        for (int i = from; i < to; i++) {
            var += (v[i] - mean) * (v[i] - mean) / (n - 1);
        }
        return mean + k * Math.sqrt(var);
    }

    @Test
    void macoRaisesARandomDirectionOfMobileNetV2sLastTap() {
        TfjsNetwork net = TfjsNetwork.MOBILENET_V2;
        MacoOptions config = new MacoOptions(12, 1, net.inputSize(), net.inputSize(), 0.6, 0.9, 0.01, 0.005, 1.0, 7);
        double[] s = run(net, config);
        // s[2..10): uniform-noise images, s[10..18): random-phase MACO starts. A smoke run of 12 steps is not
        // expected to beat noise images, which excite this direction strongly; it must leave the distribution of
        // the starting images it came from.
        double phaseBar = meanPlusSd(s, 10, 18, 3);
        System.out.printf("mobilenet_v2: objective of the start image %.4f, of the optimised %.4f; random-phase"
                + " starts' mean + 3 sd %.4f, uniform-noise images' mean + 3 sd %.4f%n", s[0], s[1], phaseBar,
                meanPlusSd(s, 2, 10, 3));
        assertTrue(s[1] > s[0] && s[1] > phaseBar, "optimised " + s[1] + " vs start " + s[0]
                + " and random-phase starts' mean + 3 sd " + phaseBar);
    }

    /**
     * Time per MACO step on each of the four networks at its native input size, 1 crop of an image the size of
     * the input: a minute or two on two cores, so only by hand ({@code -Dusae.slowTests=true}).
     */
    @EnabledIfSystemProperty(named = "usae.slowTests", matches = "true")
    @Test
    void macoStepTimesOfEveryNetwork() {
        for (TfjsNetwork net : TfjsNetwork.known()) {
            double[] s = run(net, new MacoOptions(5, 1, net.inputSize(), net.inputSize(), 0.6, 0.9, 0.01, 0.005, 1.0, 7));
            SpectralImage image = new SpectralImage(net.inputSize(), net.inputSize(), 1);
            image.backward(image.render());
            // Timed a second time, past the JIT warm-up, as inside the MACO loop.
            long t0 = System.nanoTime();
            image.backward(image.render());
            System.out.printf("%s: objective start %.4f, after 5 steps %.4f; the image parametrisation (render and"
                    + " backward) takes %.2f s of a step%n", net.key(), s[0], s[1], (System.nanoTime() - t0) / 1e9);
            assertTrue(s[1] > s[0], net.key() + ": objective " + s[0] + " -> " + s[1]);
        }
    }
}
