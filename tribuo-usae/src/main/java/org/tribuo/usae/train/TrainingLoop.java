package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.Engine;
import org.tribuo.usae.engine.StepOutput;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The training loop. It sees only a batch iterator and listeners; it never knows where the data
 * came from. Batches arrive in raw units and are standardised here with the parameters' (mu, sigma).
 */
public final class TrainingLoop {
    private final Engine engine;
    private final TrainingSettings settings;
    private final ParameterUpdate update;
    private final List<TrainingListener> listeners;

    /**
     * @param engine the arithmetic.
     * @param settings resolved settings.
     * @param listeners step callbacks.
     */
    public TrainingLoop(Engine engine, TrainingSettings settings, List<TrainingListener> listeners) {
        this.engine = engine;
        this.settings = settings;
        this.update = new ParameterUpdate(settings);
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Runs until the state's global step reaches {@code settings.steps()}.
     * @param state training state, advanced in place.
     * @param batches raw batches; must not run out before the last step.
     */
    public void run(TrainingState state, Iterator<Batch> batches) {
        run(state, batches, null);
    }

    /**
     * Runs until the state's global step reaches {@code settings.steps()}, consulting the
     * checkpointer between steps (never inside one) and at the end.
     * @param state training state, advanced in place.
     * @param batches raw batches.
     * @param checkpointer checkpoints and stop requests (null: none).
     */
    void run(TrainingState state, Iterator<Batch> batches, CheckpointSchedule checkpointer) {
        long start = System.nanoTime();
        while (state.globalStep() < settings.steps()) {
            if (!batches.hasNext()) {
                throw new NoSuchElementException("The batch stream ended at step " + state.globalStep()
                        + " of " + settings.steps());
            }
            Batch batch = batches.next();
            standardize(state.params(), batch);
            int[] sources = chooseSources(state);
            StepOutput out = engine.forwardBackward(state.params(), batch, sources, settings.objective(),
                    state.stepsSinceFired());
            if (!Double.isFinite(out.loss())) {
                throw new IllegalStateException("Training diverged: loss is " + out.loss() + " at step "
                        + state.globalStep() + " (source models " + java.util.Arrays.toString(sources)
                        + "); lower the learning rate or check the data for extreme values");
            }
            double lr = update.apply(state, out, sources);
            StepStats stats = new StepStats(state.globalStep(), settings.steps(), sources, out.loss(), out.reconLoss(),
                    out.auxLoss(), out.meanL0(), lr, batch.rows(), System.nanoTime() - start);
            for (TrainingListener l : listeners) {
                l.onStep(stats);
            }
            if (checkpointer != null) {
                checkpointer.afterStep(state);
            }
        }
        if (checkpointer != null) {
            checkpointer.atEnd(state);
        }
    }

    private int[] chooseSources(TrainingState state) {
        return settings.objective().sources().draw(state.params().numModels(), state.sourceRng()::nextInt);
    }

    /** In place: {@code (x - mu) / (sigma + 1e-5)} per model, the official scalar standardisation. */
    static void standardize(UsaeParameters params, Batch batch) {
        for (int i = 0; i < batch.numModels(); i++) {
            ModelParameters p = params.model(i);
            float mu = (float) p.mu();
            float inv = (float) (1.0 / (p.sigma() + ModelParameters.STANDARDIZE_EPS));
            float[] x = batch.x()[i];
            for (int q = 0; q < x.length; q++) {
                x[q] = (x[q] - mu) * inv;
            }
        }
    }
}
