package org.tribuo.usae.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation job as a library call: the held-out rows by default, the linear ceiling on request, errors. */
class EvaluationTest {
    private static final InMemoryActivationSet set = TrainedPlanted.SET;
    private static final UsaeModel model = TrainedPlanted.MODEL;

    private static PrintStream quiet() {
        return TrainedPlanted.quiet();
    }

    @Test
    void evaluatesTheHeldOutRowsAndAddsTheCeilingOnRequest() throws Exception {
        EvaluationOptions opts = new EvaluationOptions();
        EvaluationResult r = Evaluation.run(model, set, opts, quiet());
        long train = TrainedPlanted.firstHeldOut();
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
