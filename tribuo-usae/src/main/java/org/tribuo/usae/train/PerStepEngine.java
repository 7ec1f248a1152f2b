package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.Engine;
import org.tribuo.usae.engine.StepOutput;

import java.util.List;

/**
 * A per-step {@link Engine} (CPU, reference) as a {@link TrainingEngine} with a chunk of one: the engine's forward and
 * backward, then the gradients' application ({@link ParameterUpdate#applyGradients}). A step whose loss is not finite
 * fails before any parameter changes.
 */
public final class PerStepEngine implements TrainingEngine {
    private final Engine engine;
    private final TrainingSettings settings;
    private final ParameterUpdate update;

    /**
     * @param engine   the arithmetic.
     * @param settings the run's settings.
     */
    public PerStepEngine(Engine engine, TrainingSettings settings) {
        this.engine = engine;
        this.settings = settings;
        this.update = new ParameterUpdate(settings);
    }

    @Override
    public int chunkSteps() {
        // the next step's dead-latent counters and AdamW counts are the loop's books, kept after each chunk
        return 1;
    }

    @Override
    public List<StepResult> run(TrainingState state, List<Batch> batches, List<PlannedStep> plan) {
        if (batches.size() != 1 || plan.size() != 1) {
            throw new IllegalArgumentException("a per-step engine runs one step per call, got " + batches.size()
                    + " batches and " + plan.size() + " planned steps");
        }
        PlannedStep step = plan.get(0);
        StepOutput out = engine.forwardBackward(state.params(), batches.get(0), step.sources(), settings.objective(),
                state.stepsSinceFired());
        TrainingLoop.requireFinite(out.loss(), state.globalStep(), step.sources());
        List<List<String>> updated = update.applyGradients(state, out, step);
        return List.of(new StepResult(out.loss(), out.reconLoss(), out.auxLoss(), out.meanL0(), out.fired(), updated));
    }

    @Override
    public void close() {
    }
}
