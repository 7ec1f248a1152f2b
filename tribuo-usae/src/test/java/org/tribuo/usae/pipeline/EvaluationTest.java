package org.tribuo.usae.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.train.ConfiguredTrainers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation job as a library call: the held-out rows by default, the linear ceiling on request, errors. */
class EvaluationTest {
    private static InMemoryActivationSet set;
    private static UsaeModel model;

    @BeforeAll
    static void train() {
        PlantedData planted = PlantedConcepts.generate(PlantedOptions.demo());
        set = new InMemoryActivationSet(List.of(planted.names()), planted.dims(), planted.x());
        model = ConfiguredTrainers.of(Map.of("steps", "30", "numLatents", "64", "k", "4", "batchSize", "256",
                "holdOutFraction", "0.2", "seed", "3")).train(set);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void evaluatesTheHeldOutRowsAndAddsTheCeilingOnRequest() throws Exception {
        EvaluationOptions opts = new EvaluationOptions();
        EvaluationResult r = Evaluation.run(model, set, opts, quiet());
        long train = set.rows() - Math.round(set.rows() * 0.2);
        assertEquals(train, r.from());
        assertEquals(ModelEvaluation.evaluate(model, set, train, set.rows(), opts.batchSize).toJson(), r.report().toJson());
        assertNull(r.ceiling());
        assertEquals(r.report().toJson(), r.toJson());

        opts.linearCeiling = true;
        opts.ceilingRidge = "0.1";
        EvaluationResult withCeiling = Evaluation.run(model, set, opts, quiet());
        JsonNode json = new ObjectMapper().readTree(withCeiling.toJson());
        assertTrue(json.has("linearCeiling") && json.has("usaeOverCeilingVarianceWeighted"), json.toString());
        assertEquals(model.modelNames().size(), json.get("usaeOverCeilingVarianceWeighted").size());
        assertTrue(withCeiling.toText().contains("USAE / linear ceiling per pair"), withCeiling.toText());
    }

    @Test
    void badOptionsFailInOneLine() {
        EvaluationOptions opts = new EvaluationOptions();
        opts.ceilingRidge = "-1";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluation.run(model, set, opts, quiet()));
        assertTrue(e.getMessage().startsWith("--ceiling-ridge: '-1' is neither 'auto' nor a positive number"), e.getMessage());
        opts.ceilingRidge = "auto";
        opts.rows = "all";
        opts.linearCeiling = true;
        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.run(model, set, opts, quiet()));
        assertTrue(e.getMessage().startsWith("--linear-ceiling: needs training rows outside --rows"), e.getMessage());
    }
}
