package org.tribuo.usae.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis job as a library call: the trainer's held-out rows by default, the metrics' own results, one-line errors. */
class AnalysisTest {
    private static final InMemoryActivationSet set = TrainedPlanted.SET;
    private static final UsaeModel model = TrainedPlanted.MODEL;

    private static PrintStream quiet() {
        return TrainedPlanted.quiet();
    }

    @Test
    void analysesTheHeldOutRowsAndReportsWhatTheMetricsThemselvesMeasure() throws Exception {
        AnalysisOptions opts = new AnalysisOptions();
        opts.batchSize = 512;
        AnalysisResult r = Analysis.run(model, set, opts, quiet());
        long train = TrainedPlanted.firstHeldOut();
        assertEquals(train, r.from());
        assertEquals(set.rows(), r.to());
        assertEquals(ModelEvaluation.evaluate(model, set, train, set.rows(), 512).toJson(), r.evaluation().toJson());
        assertEquals(ConceptAnalysis.run(model, set, train, set.rows(), 512, ConceptAnalysis.Options.DEFAULT
                .withThreshold(opts.threshold).withMinCoFiresForFit(opts.minCoFires)).toJson(), r.concepts().toJson());
        assertNull(r.labels(), "no data folder, so no labels");
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(AnalysisResult.FORMAT, json.get("format").asText());
        assertEquals(train, json.get("from").asLong());

        opts.rows = "0:100";
        AnalysisResult first = Analysis.run(model, set, opts, quiet());
        assertEquals(0, first.from());
        assertEquals(100, first.to());
    }

    @Test
    void badOptionsFailInOneLineBeforeTheModelIsRead(@TempDir Path tmp) throws Exception {
        AnalysisOptions opts = new AnalysisOptions();
        opts.model = tmp.resolve("missing.usae");
        opts.data = tmp;
        opts.rows = "5:2";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Analysis.run(opts, quiet()));
        assertTrue(e.getMessage().startsWith("--rows: '5:2' ends before it starts; expected"), e.getMessage());

        opts.rows = null;
        opts.pooling = "median";
        e = assertThrows(IllegalArgumentException.class, () -> Analysis.run(opts, quiet()));
        assertEquals("--pooling: 'median' is unknown; expected one of MAX, MEAN", e.getMessage());

        opts.pooling = "MAX";
        e = assertThrows(IllegalArgumentException.class, () -> Analysis.run(opts, quiet()));
        assertEquals("no model file at " + opts.model, e.getMessage());

        Path notAModel = Files.writeString(tmp.resolve("model.usae"), "not a model");
        opts.model = notAModel;
        e = assertThrows(IllegalArgumentException.class, () -> Analysis.run(opts, quiet()));
        assertTrue(e.getMessage().startsWith(notAModel + " is not a readable USAE model file"), e.getMessage());
    }
}
