package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interrupted-and-resumed runs end bit-identical to uninterrupted ones, for every recipe. */
class CheckpointResumeTest {
    static final long STEPS = 80;   // crosses an epoch boundary (57 batches per epoch)
    private static InMemoryActivationSet set;

    @BeforeAll
    static void data() {
        PlantedData planted = PlantedConcepts.generate(PlantedOptions.demo());
        set = new InMemoryActivationSet(List.of(planted.names()), planted.dims(), planted.x());
    }

    static UsaeTrainer trainer(String recipe, Map<String, String> extra) {
        Map<String, String> f = new LinkedHashMap<>(Map.of("recipe", recipe, "steps", Long.toString(STEPS),
                "numLatents", "128", "k", "8", "batchSize", "256", "holdOutFraction", "0.1", "auxK", "32",
                "seed", "7"));
        // make the dead-latent counters and re-initialisation (reinit RNG) matter within 80 steps
        if (recipe.equals("SPARC")) {
            f.put("deadSteps", "3");
            f.put("deadReinitEvery", "7");
        }
        f.putAll(extra);
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        f.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    @ParameterizedTest
    @MethodSource("org.tribuo.usae.train.Recipes#names")
    void interruptedAndResumedRunIsBitIdentical(String recipe, @TempDir Path tmp) {
        Path fullDir = tmp.resolve("full");
        UsaeModel full = trainer(recipe, Map.of("checkpointEverySteps", "10")).train(set, CheckpointOptions.in(fullDir));

        Path dir = tmp.resolve("interrupted");
        UsaeTrainer first = trainer(recipe, Map.of("checkpointEverySteps", "10"));
        StopSignal stop = new StopSignal();
        first.addListener(s -> {
            if (s.step() == STEPS / 2) {
                stop.request();
            }
        });
        TrainingStoppedException stopped = assertThrows(TrainingStoppedException.class,
                () -> first.train(set, CheckpointOptions.in(dir).stopOn(stop)));
        assertEquals(STEPS / 2, stopped.step());
        assertEquals(dir.resolve(CheckpointFiles.fileName(STEPS / 2)), stopped.checkpoint());
        assertEquals(3, CheckpointFiles.list(dir).size(), "keeps the newest 3");

        UsaeModel resumed = trainer(recipe, Map.of("checkpointEverySteps", "10"))
                .train(set, CheckpointOptions.in(dir).resumeFrom(dir));
        for (int i = 0; i < set.numModels(); i++) {
            ModelParameters a = full.parameters().model(i);
            ModelParameters b = resumed.parameters().model(i);
            for (String t : a.trainable().keySet()) {
                assertArrayEquals(a.get(t), b.get(t), recipe + " " + a.name() + " " + t);
            }
            for (String t : a.buffers().keySet()) {
                assertArrayEquals(a.buffers().get(t), b.buffers().get(t), recipe + " " + a.name() + " " + t);
            }
            assertEquals(a.bnBatchesTracked(), b.bnBatchesTracked());
            assertEquals(a.mu(), b.mu());
            assertEquals(a.sigma(), b.sigma());
        }
        TrainingCheckpoint x = CheckpointFiles.read(fullDir.resolve(CheckpointFiles.fileName(STEPS)));
        TrainingCheckpoint y = CheckpointFiles.read(dir.resolve(CheckpointFiles.fileName(STEPS)));
        assertSameState(x, y);
        assertEquals(full.getProvenance().getTrainerProvenance(), resumed.getProvenance().getTrainerProvenance());
    }

    static void assertSameState(TrainingCheckpoint x, TrainingCheckpoint y) {
        TrainingState a = x.state();
        TrainingState b = y.state();
        assertEquals(a.globalStep(), b.globalStep());
        assertArrayEquals(a.modelUpdates(), b.modelUpdates());
        assertEquals(a.sourceRng().seed(), b.sourceRng().seed());
        assertEquals(a.reinitRng().seed(), b.reinitRng().seed());
        assertEquals(x.position(), y.position());
        for (int i = 0; i < a.params().numModels(); i++) {
            assertArrayEquals(a.stepsSinceFired()[i], b.stepsSinceFired()[i]);
            for (Map.Entry<String, AdamW> e : a.optimizer(i).entrySet()) {
                AdamW o = b.optimizer(i).get(e.getKey());
                assertNotNull(o);
                assertArrayEquals(e.getValue().firstMoment(), o.firstMoment(), e.getKey());
                assertArrayEquals(e.getValue().secondMoment(), o.secondMoment(), e.getKey());
                assertEquals(e.getValue().steps(), o.steps());
            }
            for (String t : a.params().model(i).trainable().keySet()) {
                assertArrayEquals(a.params().model(i).get(t), b.params().model(i).get(t));
            }
        }
        assertTrue(a.optimizer(0).values().iterator().next().steps() > 0);
    }
}
