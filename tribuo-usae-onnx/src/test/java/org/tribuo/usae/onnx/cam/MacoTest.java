package org.tribuo.usae.onnx.cam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MACO on the real OCR networks: the optimised image must raise the concept far above its value on random
 * images (uniform noise and random-phase images), for every model.
 */
class MacoTest {

    /** Objective values of 16 random images: 8 of uniform noise, 8 random-phase MACO starts. */
    static double[] randomScores(ConceptScorer scorer, int h, int w) {
        Random r = new Random(99);
        double[] s = new double[16];
        for (int i = 0; i < 8; i++) {
            double[] px = new double[3 * h * w];
            for (int j = 0; j < px.length; j++) {
                px[j] = r.nextDouble();
            }
            s[i] = scorer.score(px, h, w);
            s[8 + i] = scorer.score(new SpectralImage(h, w, 1000 + i).render(), h, w);
        }
        return s;
    }

    static void assertRaisesConcept(CamTarget target, int d, MacoOptions config) {
        ConceptReadout concept = OcrTargets.randomConcept(d, 5, 0.0, 1.0, 17);
        MacoResult res;
        try (Maco maco = new Maco(target, concept, config, 0)) {
            res = maco.run();
        }
        assertEquals(3 * config.imageHeight() * config.imageWidth(), res.pixels().length);
        assertEquals(config.imageHeight() * config.imageWidth(), res.attribution().length);
        try (ConceptScorer scorer = new ConceptScorer(target, concept, 0)) {
            double[] pixels = new double[res.pixels().length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = res.pixels()[i];
            }
            double optimised = scorer.score(pixels, res.height(), res.width());
            double[] random = randomScores(scorer, res.height(), res.width());
            double mean = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : random) {
                mean += v / random.length;
                max = Math.max(max, v);
            }
            double var = 0;
            for (double v : random) {
                var += (v - mean) * (v - mean) / (random.length - 1);
            }
            double sd = Math.sqrt(var);
            // "Far above": more than 5 standard deviations of the random scores above their mean, and above the
            // best random image. (Measured with these settings: cls 7.4 sd, rec 31 sd.)
            assertTrue(optimised > mean + 5 * sd && optimised > max, target.name() + ": optimised " + optimised + " vs random mean " + mean
                    + ", max " + max + ", sd " + sd + "; trace start " + res.trace()[0] + " end "
                    + res.trace()[res.trace().length - 1]);
        }
    }

    static MacoOptions small(long seed) {
        return new MacoOptions(40, 2, 48, 96, 0.6, 0.9, 0.01, 0.005, 1.0, seed);
    }

    @Test
    void macoRaisesTheConceptFarAboveRandomImagesInEveryModel() {
        for (CamTarget t : List.of(OcrTargets.cls(), OcrTargets.rec())) {
            assertRaisesConcept(t, t.name().equals("cls") ? 200 : 120, small(7));
        }
    }

    /**
     * MACO's own crop settings (6 crops, a 4x image, crop sides 0.25-0.30) with 300 steps: several minutes on
     * two cores, so only by hand: {@code mvn -pl tribuo-usae-onnx test -Dtest=MacoTest -Dusae.slowTests=true}.
     */
    @EnabledIfSystemProperty(named = "usae.slowTests", matches = "true")
    @Test
    void macoWithPaperSettings() {
        for (CamTarget t : List.of(OcrTargets.cls(), OcrTargets.rec())) {
            assertRaisesConcept(t, t.name().equals("cls") ? 200 : 120, MacoOptions.maco(48, 96, 300, 7));
        }
    }
}
