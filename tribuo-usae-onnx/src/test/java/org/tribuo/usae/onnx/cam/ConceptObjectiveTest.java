package org.tribuo.usae.onnx.cam;

import ai.onnxruntime.OnnxTensor;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.onnx.autodiff.GradientException;
import org.tribuo.usae.onnx.extract.Activation;
import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.TokenGrid;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConceptObjectiveTest {

    /**
     * The objective graph against the extraction path in Java: normalise the pixels, run the backbone with its tap,
     * apply the TokenPolicy, apply the readout to every token, average.
     */
    @Test
    void objectiveEqualsTheExtractionPathInJava() {
        for (CamTarget target : List.of(OcrTargets.cls(), OcrTargets.rec())) {
            Random r = new Random(2);
            double[] pixels = new double[3 * 48 * 96];
            float[] normed = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = r.nextDouble();
                normed[i] = (float) ((pixels[i] - 0.5) / 0.5);
            }
            int d = target.name().equals("cls") ? 200 : 120;
            ConceptReadout readout = OcrTargets.randomConcept(d, 3, 0.3, 1.7, 5);
            double expected;
            try (Backbone bb = Backbone.fromResource(target.name().equals("cls") ? OcrTargets.CLS : OcrTargets.REC,
                    List.of(target.tap()), Backbone.Options.cpu());
                 OnnxTensor x = bb.floatTensor(normed, new long[]{1, 3, 48, 96})) {
                Activation a = bb.run(Map.of("x", x)).get(target.tap());
                TokenGrid grid = target.policy().apply(a);
                assertEquals(12, grid.tokens());
                double sum = 0;
                for (int t = 0; t < grid.tokens(); t++) {
                    float[] token = java.util.Arrays.copyOfRange(grid.data(), t * d, (t + 1) * d);
                    sum += readout.apply(token);
                }
                expected = sum / grid.tokens();
            }
            try (ConceptScorer scorer = new ConceptScorer(target, readout, 1)) {
                double got = scorer.score(pixels, 48, 96);
                assertEquals(expected, got, 1e-4 * Math.max(1, Math.abs(expected)), target.name());
            }
        }
    }

    @Test
    void tokenWidthMismatchIsReported() {
        ConceptReadout wrong = OcrTargets.randomConcept(64, 0, 0, 1, 1);
        GradientException e = assertThrows(GradientException.class, () -> OcrTargets.cls().objective(wrong, 1));
        assertTrue(e.getMessage().contains("200-wide tokens") && e.getMessage().contains("width 64"), e.getMessage());
    }
}
