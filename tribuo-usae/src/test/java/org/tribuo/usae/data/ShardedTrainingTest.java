package org.tribuo.usae.data;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.train.CheckpointOptions;
import org.tribuo.usae.train.StopSignal;
import org.tribuo.usae.train.TrainingStoppedException;
import org.tribuo.usae.train.UsaeTrainer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training streams a sharded set through the bounded shuffle, and resumes at the same place in that order. */
class ShardedTrainingTest {
    /** 4096 rows in 7 uneven shards; 128-row batches over 3686 training rows = 28 per epoch, so 40 steps cross an epoch. */
    private static final long[] SHARDS = {800, 700, 1, 1000, 795, 400, 400};
    private static final long STEPS = 40;

    private static UsaeTrainer trainer(Map<String, String> extra) {
        Map<String, String> f = new LinkedHashMap<>(Map.of("recipe", "FAITHFUL", "steps", Long.toString(STEPS),
                "numLatents", "64", "k", "8", "batchSize", "128", "holdOutFraction", "0.1", "seed", "7",
                "shuffleWindowRows", "1000", "checkpointEverySteps", "10"));
        f.putAll(extra);
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        f.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    @Test
    void trainsFromShardsAndResumesBitIdentically(@TempDir Path tmp) {
        PlantedData planted = PlantedConcepts.generate(new PlantedOptions(new int[]{48, 32, 64}, new String[]{"alpha", "beta", "gamma"},
                32, 8, 3, 0.05, 4096, 42L));
        Path dir = tmp.resolve("set");
        ShardedFixture.write(dir, List.of(planted.names()), planted.dims(), planted.x(), SHARDS);
        try (ActivationSet set = ActivationSets.open(dir)) {
            assertEquals(4096, set.rows());
            assertEquals(8, set.shardBoundaries().length);
            UsaeModel full = trainer(Map.of()).train(set, CheckpointOptions.in(tmp.resolve("full")));
            assertTrue(full.getProvenance().getDatasetProvenance().toString().contains(ShardedActivationSet.class.getName()));

            Path ck = tmp.resolve("interrupted");
            UsaeTrainer first = trainer(Map.of());
            StopSignal stop = new StopSignal();
            first.addListener(s -> {
                if (s.step() == 17) { // mid-epoch, mid-window
                    stop.request();
                }
            });
            assertThrows(TrainingStoppedException.class, () -> first.train(set, CheckpointOptions.in(ck).stopOn(stop)));
            UsaeModel resumed = trainer(Map.of()).train(set, CheckpointOptions.in(ck).resumeFrom(ck));
            for (int i = 0; i < set.numModels(); i++) {
                ModelParameters a = full.parameters().model(i);
                ModelParameters b = resumed.parameters().model(i);
                for (String t : a.trainable().keySet()) {
                    assertArrayEquals(a.get(t), b.get(t), a.name() + " " + t);
                }
            }

            // a different window is a different batch order: the resume refuses it instead of silently diverging
            Exception e = assertThrows(RuntimeException.class, () -> trainer(Map.of("shuffleWindowRows", "2000"))
                    .train(set, CheckpointOptions.in(tmp.resolve("other")).resumeFrom(ck)));
            assertTrue(e.getMessage().contains("shuffleWindowRows=1000"), e.getMessage());

        }
    }
}
