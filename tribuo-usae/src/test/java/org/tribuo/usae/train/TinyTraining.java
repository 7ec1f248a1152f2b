package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.InMemoryActivationSet;

import java.util.List;
import java.util.SplittableRandom;

/** A tiny two-model set and trainer for checkpoint tests (milliseconds per step). */
final class TinyTraining {
    private TinyTraining() {
    }

    static InMemoryActivationSet set(long seed) {
        return set(seed, 256);
    }

    /** @return two seeded uniform models, {@code [rows x 6]} and {@code [rows x 4]}, named a and b. */
    static InMemoryActivationSet set(long seed, int rows) {
        int[] dims = {6, 4};
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[2][];
        for (int i = 0; i < 2; i++) {
            x[i] = new float[rows * dims[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = (float) (r.nextDouble() * 2 - 1);
            }
        }
        return new InMemoryActivationSet(List.of("a", "b"), dims, x);
    }

    /** FAITHFUL (random source, BatchNorm, cosine) on a tiny shape. */
    static UsaeTrainer trainer(long steps, long everySteps, double everyMinutes) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        String[][] f = {{"recipe", "FAITHFUL"}, {"steps", Long.toString(steps)}, {"numLatents", "16"}, {"k", "3"},
                {"batchSize", "32"}, {"seed", "11"}, {"checkpointEverySteps", Long.toString(everySteps)},
                {"checkpointEveryMinutes", Double.toString(everyMinutes)}, {"checkpointKeep", "3"}};
        for (String[] kv : f) {
            cd.add(kv[0], new SimpleProperty(kv[1]));
        }
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }
}
