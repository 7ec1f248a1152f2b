package org.tribuo.usae.model;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class ConceptEvaluatorTest {

    /** Test-only model with 6 latents that replays fixed codes, one per predict call. */
    private static final class ReplayModel extends Model<ConceptActivations> {
        private static final long serialVersionUID = 1L;
        private final transient Iterator<ConceptActivations> codes;

        ReplayModel(List<ConceptActivations> codes) {
            super("replay", new ModelProvenance(ReplayModel.class.getName(), OffsetDateTime.now(),
                            new EmptyDatasetProvenance(), new EmptyTrainerProvenance()),
                    new ImmutableFeatureMap(new ArrayList<>()), ImmutableConceptInfo.ofLatents(6), false);
            this.codes = codes.iterator();
        }

        @Override
        public Prediction<ConceptActivations> predict(Example<ConceptActivations> example) {
            return new Prediction<>(codes.next(), 0, example);
        }

        @Override
        public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) { return Map.of(); }

        @Override
        public Optional<Excuse<ConceptActivations>> getExcuse(Example<ConceptActivations> example) { return Optional.empty(); }

        @Override
        protected Model<ConceptActivations> copy(String newName, ModelProvenance newProvenance) {
            throw new UnsupportedOperationException();
        }
    }

    private static ConceptActivations code(int... ids) {
        float[] v = new float[ids.length];
        java.util.Arrays.fill(v, 1.5f);
        return new ConceptActivations(ids, v);
    }

    @Test
    void sparsityStatisticsOfHandMadePredictions() {
        // m = 6. Codes: {0,2}, {2}, {}, {2,5,1}. L0 = 2,1,0,3 -> mean 6/4 = 1.5.
        // Firing counts: 0->1, 1->1, 2->3, 3->0, 4->0, 5->1; dead = {3,4} -> 2, fraction 2/6.
        List<ConceptActivations> codes = List.of(code(0, 2), code(2), ConceptActivations.UNKNOWN, code(1, 2, 5));
        ReplayModel model = new ReplayModel(codes);
        List<Example<ConceptActivations>> examples = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            examples.add(new ArrayExample<>(ConceptActivations.UNKNOWN, new String[]{"x"}, new double[]{i + 1}));
        }
        List<Prediction<ConceptActivations>> predictions = model.predict(examples);

        ConceptEvaluation eval = new ConceptEvaluator().evaluate(model, predictions, new EmptyDatasetProvenance());

        assertEquals(6, eval.numLatents());
        assertEquals(1.5, eval.meanL0(), 0.0);
        assertArrayEquals(new long[]{1, 1, 3, 0, 0, 1}, eval.firingCounts());
        assertEquals(2, eval.deadConcepts());
        assertEquals(2.0 / 6.0, eval.deadFraction(), 0.0);
        Map<MetricID<ConceptActivations>, Double> map = eval.asMap();
        assertEquals(1.5, map.get(ConceptEvaluation.MEAN_L0));
        assertEquals(2.0, map.get(ConceptEvaluation.DEAD_CONCEPTS));
        assertEquals(2.0 / 6.0, map.get(ConceptEvaluation.DEAD_FRACTION));
        assertEquals(4.0, map.get(ConceptEvaluation.TOKENS));
        assertEquals(3.0, eval.get(ConceptEvaluation.firingCountID(2)));
        assertEquals(0.0, eval.get(ConceptEvaluation.firingCountID(4)));
        assertEquals(4 + 6, map.size());
        assertEquals(4, eval.getPredictions().size());
        assertEquals(model.getProvenance(), eval.getProvenance().getModelProvenance());
    }

    @Test
    void rejectsConceptsOutsideTheModel() {
        List<Prediction<ConceptActivations>> predictions = List.of(
                new Prediction<>(code(1, 7), 0, new ArrayExample<>(ConceptActivations.UNKNOWN)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConceptEvaluator.evaluate(6, predictions, null));
        assertTrue(e.getMessage().contains("concept 7"), e.getMessage());
    }

    @Test
    void noPredictionsMeansAllDead() {
        ConceptEvaluation eval = ConceptEvaluator.evaluate(3, List.of(), null);
        assertEquals(0.0, eval.meanL0());
        assertEquals(3, eval.deadConcepts());
        assertEquals(1.0, eval.deadFraction());
    }
}
