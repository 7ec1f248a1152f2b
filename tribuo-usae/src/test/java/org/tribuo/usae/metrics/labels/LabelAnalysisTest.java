package org.tribuo.usae.metrics.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.model.UsaeModel;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelAnalysisTest {
    /** 5 epochs (Tribuo's LogisticRegressionTrainer default) keep the test fast; the separation here is large. */
    private static final LabelAnalysisOptions OPTIONS = LabelAnalysisOptions.defaults()
            .withProbe(ProbeOptions.defaults().withEpochs(5));

    /**
     * Labels = the planted concepts of an input's tokens. A trained model has latents that follow the
     * concepts, so one latent predicts a label far better than chance (ln 2 = 0.693; measured about
     * 0.07-0.15) and latents are pure (measured about 0.86-0.90). With the same codes but labels
     * shuffled across inputs nothing can be predicted (measured 0.70-0.72) and purity falls to about
     * the largest label's share (measured about 0.29).
     */
    @Test
    void trainedModelBeatsChanceAndShuffledLabelsDoNot() {
        UsaeModel model = PlantedLabels.train();
        LabelTable labels = PlantedLabels.labels();
        LabelAnalysisResult real = LabelAnalysis.run(model, PlantedLabels.set(), 0, PlantedLabels.ROWS, 256, labels,
                Optional.empty(), OPTIONS);
        LabelAnalysisResult shuffled = LabelAnalysis.run(model, PlantedLabels.set(), 0, PlantedLabels.ROWS, 256,
                labels.shuffled(1), Optional.empty(), OPTIONS);
        assertEquals(PlantedLabels.ROWS / 2, real.inputs(), "two token rows per input");
        assertEquals(real.inputs(), real.labelledInputs());
        for (int s = 0; s < 3; s++) {
            LinearProbe1D.StreamResult r = real.probe().get(s);
            LinearProbe1D.StreamResult c = shuffled.probe().get(s);
            assertEquals(PlantedLabels.CONCEPTS, r.tasks().size(), "every concept labels > 50 inputs");
            assertTrue(r.meanTestLogLoss() < 0.3 && r.meanAuc() > 0.9, r.stream() + ": " + r.meanTestLogLoss());
            assertTrue(c.meanTestLogLoss() > 0.65 && c.meanAuc() < 0.6, c.stream() + " shuffled: " + c.meanTestLogLoss());
            assertTrue(real.purity().streams().get(s).meanPurity() > 0.75);
            assertTrue(shuffled.purity().streams().get(s).meanPurity() < 0.4);
        }
        // Global TopK shares the selected latents across streams (a value may still be 0 in one stream),
        // so a live latent fires on nearly the same inputs everywhere: J ~ 1 whatever the labels, and the
        // score is about (latents live in >= 2 streams) / m (measured 0.4056 vs 13/32 = 0.4063).
        ConceptAlignment.Result a = real.alignment();
        double bound = (double) a.latentsActiveInTwoOrMore() / a.numLatents();
        assertTrue(a.finest() <= bound && a.finest() > 0.95 * bound, a.finest() + " vs " + bound);
        assertEquals(a.finest(), shuffled.alignment().finest(), 0.02);
        assertTrue(real.toText().contains("1-D probe"), real.toText());
    }

    @Test
    void facadeOnHandMadeCodesWithATreeAndStableJson() throws Exception {
        LabelAnalysisResult r = LabelAnalysis.analyse(HandMadeCodes.STREAMS, HandMadeCodes.streams(), HandMadeCodes.labels(),
                Optional.of(HandMadeCodes.tree()), LabelAnalysisOptions.defaults());
        assertEquals(5, r.inputs());
        assertEquals(4, r.labelledInputs());
        assertEquals((0.25 + 1 + 0 + 1.0 / 3) / 4, r.alignment().finest(), 1e-12, "as ConceptAlignmentTest works out");
        assertEquals((0.875 + 1.0 + 0.5) / 3, r.purity().meanOverStreams(), 1e-12, "as LabelPurityTest works out");
        assertTrue(r.probe().stream().allMatch(p -> p.tasks().isEmpty()), "no label has more than 50 positives");
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        for (String field : List.of("streams", "pooling", "hierarchy", "inputs", "labelledInputs", "numLatents",
                "alignment", "probe", "purity")) {
            assertTrue(json.has(field), field + " in " + r.toJson());
        }
        assertEquals("MAX", json.get("pooling").asText());
        assertEquals(3, json.get("alignment").get("depths").size());
        assertEquals(0.3958333333333333, json.get("alignment").get("depths").get(2).get("meanJaccard").asDouble(), 1e-15);
        assertEquals("NaN", json.get("probe").get(0).get("meanTestLogLoss").asText());
        assertTrue(r.toText().contains("depth 2 (3 buckets): 0.3958"), r.toText());
    }

    @Test
    void labelsThatDoNotCoverTheInputsAreAnError() {
        LabelTable tooShort = LabelTable.of(HandMadeCodes.NAMES, new int[][]{{0}, {1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelAnalysis.analyse(
                HandMadeCodes.STREAMS, HandMadeCodes.streams(), tooShort, Optional.empty(), LabelAnalysisOptions.defaults()));
        assertTrue(e.getMessage().contains("input id 2 is outside the label table"), e.getMessage());
        LabelTable none = LabelTable.of(HandMadeCodes.NAMES, new int[5][0]);
        e = assertThrows(IllegalArgumentException.class, () -> LabelAnalysis.analyse(
                HandMadeCodes.STREAMS, HandMadeCodes.streams(), none, Optional.empty(), LabelAnalysisOptions.defaults()));
        assertTrue(e.getMessage().contains("none of the 5 inputs has a label"), e.getMessage());
    }
}
