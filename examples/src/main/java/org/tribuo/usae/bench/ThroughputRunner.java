package org.tribuo.usae.bench;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.engine.FlopModel;
import org.tribuo.usae.engine.PhaseTimer;
import org.tribuo.usae.train.FusedStepEngines;
import org.tribuo.usae.train.MemoryEstimate;
import org.tribuo.usae.train.TrainingSettings;
import org.tribuo.usae.train.UsaeTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures one (shape, recipe, engine) through {@link UsaeTrainer#train(ActivationSet)}, the path users
 * train through ({@code TrainingLoop}, with the per-step engine or a fused one): warm-up steps,
 * then timed steps, timed by a training listener from the end of the last warm-up step to the end of
 * the last step. A fused engine reports its steps after each chunk, so the warm-up is extended to the
 * next chunk boundary: the window then holds whole chunks only (their state copies included).
 */
final class ThroughputRunner {
    /** Synthetic rows held per model: two steps' worth, reshuffled every epoch. */
    static final int POOL_STEPS = 2;
    private static final int STANDARDIZATION_ROWS = 200_000;

    private final ThroughputShape shape;
    private final int warmup;
    private final int timed;
    private final int chunkSteps;
    private final long seed;

    /**
     * @param shape      sizes.
     * @param warmup     untimed steps (at least 1: the first step pays for JIT, graph building, allocation).
     * @param timed      timed steps.
     * @param chunkSteps steps per ONNX Runtime call for fused engines (the trainer's ortChunkSteps).
     * @param seed       trainer seed.
     */
    ThroughputRunner(ThroughputShape shape, int warmup, int timed, int chunkSteps, long seed) {
        if (warmup < 1 || timed < 1 || chunkSteps < 1) {
            throw new IllegalArgumentException("--warmup, --steps and --chunk-steps must be >= 1; got " + warmup + ", " + timed
                    + ", " + chunkSteps);
        }
        this.shape = shape;
        this.warmup = warmup;
        this.timed = timed;
        this.chunkSteps = chunkSteps;
        this.seed = seed;
    }

    /** @return rows per model in the synthetic set. */
    int poolRows() {
        return Math.multiplyExact(POOL_STEPS, shape.rows());
    }

    /**
     * @param recipe the recipe.
     * @param engine the engine.
     * @return the heap the trainer estimates for this cell ({@link MemoryEstimate}), not counting the synthetic rows.
     */
    MemoryEstimate memory(String recipe, EngineKind engine) {
        TrainingSettings s = trainer(recipe, engine, 1).settingsFor(shape.dims(), poolRows());
        return MemoryEstimate.of(s, shape.dims(), poolRows(), FusedStepEngines.memory(engine),
                engine.fused() ? chunkSteps : 1);
    }

    /**
     * The warm-up actually run: for fused engines, the first chunk boundary at or after the requested warm-up.
     * @param recipe the recipe (its dead-latent re-initialisation period ends chunks).
     * @param engine the engine.
     * @return untimed steps.
     */
    long warmupSteps(String recipe, EngineKind engine) {
        if (!engine.fused()) {
            return warmup;
        }
        int reinit = trainer(recipe, engine, 1).settingsFor(shape.dims(), poolRows()).deadReinitEvery();
        long total = (long) warmup + chunkSteps + reinit + 1;       // only the last chunk depends on the total
        long step = 0;
        while (step < warmup) {
            step += org.tribuo.usae.train.TrainingLoop.chunkLength(step, chunkSteps, total, reinit);
        }
        return step;
    }

    /**
     * Trains warm-up + timed steps and times the timed ones.
     * @param set the synthetic rows ({@link #poolRows()} per model).
     * @param recipe the recipe.
     * @param engine the engine.
     * @return the measurement.
     */
    ThroughputCell run(ActivationSet set, String recipe, EngineKind engine) {
        long warm = warmupSteps(recipe, engine);
        long last = warm + timed;
        UsaeTrainer trainer = trainer(recipe, engine, last);
        long[] stamps = new long[2];
        double[] loss = {Double.NaN};
        List<Map<PhaseTimer.Phase, Double>> phases = new ArrayList<>();
        trainer.addListener(stats -> {
            if (stats.step() == warm) {
                PhaseTimer.reset();
                stamps[0] = System.nanoTime();
            } else if (stats.step() == last) {
                stamps[1] = System.nanoTime();
                phases.add(PhaseTimer.seconds());
                loss[0] = stats.loss();
            }
        });
        boolean ownPeak = PeakRss.reset();
        PhaseTimer.setEnabled(engine == EngineKind.CPU);   // the only engine with phase timers
        try {
            trainer.train(set);
        } finally {
            PhaseTimer.setEnabled(false);
        }
        long peak = PeakRss.read().orElse(-1);
        double seconds = (stamps[1] - stamps[0]) / 1e9;
        double msPerStep = 1000 * seconds / timed;
        return new ThroughputCell(shape.name(), recipe, engine.name(), shape.rows(), warm, timed,
                engine.fused() ? chunkSteps : 0, seconds, msPerStep, (double) shape.rows() * timed / seconds,
                peak, ownPeak, loss[0], flops(recipe), engine != EngineKind.CPU || phases.isEmpty() ? Map.of()
                        : phaseMs(phases.get(0), msPerStep));
    }

    /** Per-phase ms per timed step, in phase order, and OTHER = the step's remainder. */
    private Map<String, Double> phaseMs(Map<PhaseTimer.Phase, Double> seconds, double msPerStep) {
        Map<String, Double> out = new LinkedHashMap<>();
        double sum = 0;
        for (Map.Entry<PhaseTimer.Phase, Double> e : seconds.entrySet()) {
            double ms = 1000 * e.getValue() / timed;
            out.put(e.getKey().name(), ms);
            sum += ms;
        }
        out.put("OTHER", msPerStep - sum);
        return out;
    }

    /**
     * @param recipe the recipe.
     * @return the FLOPs its expected step must do at this shape ({@link FlopModel#expected}).
     */
    FlopModel.StepFlops flops(String recipe) {
        TrainingSettings s = trainer(recipe, EngineKind.CPU, 1).settingsFor(shape.dims(), poolRows());
        return FlopModel.expected(s.architecture(), s.objective(), shape.dims(), shape.rows());
    }

    private UsaeTrainer trainer(String recipe, EngineKind engine, long steps) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("recipe", recipe);
        fields.put("numLatents", Integer.toString(shape.latents()));
        fields.put("k", Integer.toString(shape.k()));
        fields.put("batchSize", Integer.toString(shape.rows()));
        fields.put("steps", Long.toString(steps));
        fields.put("seed", Long.toString(seed));
        fields.put("engine", engine.name());
        fields.put("ortChunkSteps", Integer.toString(chunkSteps));
        fields.put("standardizationRows", Integer.toString(Math.min(STANDARDIZATION_ROWS, poolRows())));
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("throughput-trainer", UsaeTrainer.class.getName());
        fields.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("throughput-trainer");
    }

    /** @param engine an engine. @return its CLI spelling, e.g. ort-cpu. */
    static String cliName(EngineKind engine) {
        return engine.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
