package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The training loop, one for every engine. It sees only a batch iterator, an engine and listeners; it never knows
 * where the data came from. Per chunk of at most {@link TrainingEngine#chunkSteps()} steps it standardises the raw
 * batches with the parameters' (mu, sigma), draws each step's sources and plans its learning rates and AdamW scalars
 * ({@link ParameterUpdate#plan}), lets the engine run the chunk, then keeps the books of each step
 * ({@link ParameterUpdate#finish}) and calls the listeners. A chunk ends at every step after which dead latents are
 * re-initialised (that uses the Java random stream, so it runs here between chunks). Checkpoints and stop requests
 * are honoured between chunks. With a chunk of one ({@link PerStepEngine}) this is the plain per-step loop.
 */
public final class TrainingLoop {
    private final TrainingEngine engine;
    private final TrainingSettings settings;
    private final ParameterUpdate update;
    private final List<TrainingListener> listeners;

    /**
     * @param engine the engine.
     * @param settings resolved settings.
     * @param listeners step callbacks (called after each chunk, once per step).
     */
    public TrainingLoop(TrainingEngine engine, TrainingSettings settings, List<TrainingListener> listeners) {
        this(engine, settings, listeners, DeadLatentReinit.NOISE);
    }

    /**
     * @param engine    the engine.
     * @param settings  resolved settings.
     * @param listeners step callbacks (called after each chunk, once per step).
     * @param reinit    how dead latents restart.
     */
    public TrainingLoop(TrainingEngine engine, TrainingSettings settings, List<TrainingListener> listeners,
                        DeadLatentReinit reinit) {
        this.engine = engine;
        this.settings = settings;
        this.update = new ParameterUpdate(settings, reinit);
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
     * Runs until the state's global step reaches {@code settings.steps()}, consulting the checkpointer between
     * chunks (never inside one) and at the end.
     * @param state training state, advanced in place.
     * @param batches raw batches.
     * @param checkpointer checkpoints and stop requests (null: none).
     */
    void run(TrainingState state, Iterator<Batch> batches, CheckpointSchedule checkpointer) {
        long start = System.nanoTime();
        int numModels = state.params().numModels();
        while (state.globalStep() < settings.steps()) {
            int n = chunkLength(state.globalStep());
            List<Batch> chunk = new ArrayList<>(n);
            List<PlannedStep> plan = new ArrayList<>(n);
            long[] updates = state.modelUpdates().clone();
            for (int q = 0; q < n; q++) {
                long step = state.globalStep() + q;
                if (!batches.hasNext()) {
                    throw new NoSuchElementException("The batch stream ended at step " + step + " of " + settings.steps());
                }
                Batch batch = batches.next();
                standardize(state.params(), batch);
                chunk.add(batch);
                int[] sources = settings.objective().sources().draw(numModels, state.sourceRng()::nextInt);
                plan.add(update.plan(state, step, sources, updates));
            }
            List<StepResult> results = engine.run(state, chunk, plan);
            for (int q = 0; q < n; q++) {
                finishStep(state, plan.get(q), results.get(q), chunk.get(q), start);
            }
            if (checkpointer != null) {
                checkpointer.afterStep(state);
            }
        }
        if (checkpointer != null) {
            checkpointer.atEnd(state);
        }
    }

    private int chunkLength(long step) {
        return chunkLength(step, engine.chunkSteps(), settings.steps(), settings.deadReinitEvery());
    }

    /**
     * Steps in the chunk starting at {@code step}: at most {@code chunkSteps}, ending at the last step
     * and at every step after which dead latents are re-initialised (that runs here, between chunks).
     * Public so that benchmarks can place a timed window on chunk boundaries.
     * @param step 0-based first step of the chunk.
     * @param chunkSteps the engine's chunk length.
     * @param totalSteps steps in the run.
     * @param deadReinitEvery re-initialisation period (0 = never).
     * @return the chunk's length.
     */
    public static int chunkLength(long step, int chunkSteps, long totalSteps, long deadReinitEvery) {
        long n = Math.min(chunkSteps, totalSteps - step);
        if (deadReinitEvery > 0) {
            long nextReinit = (step + deadReinitEvery - 1) / deadReinitEvery * deadReinitEvery;   // SPARC checks after steps 0, N, 2N, ...
            n = Math.min(n, nextReinit - step + 1);
        }
        return (int) n;
    }

    private void finishStep(TrainingState state, PlannedStep step, StepResult out, Batch batch, long start) {
        int rows = batch.rows();
        requireFinite(out.loss(), state.globalStep(), step.sources());
        update.finish(state, step, out.fired(), out.updatedTensors(), batch);
        StepStats stats = new StepStats(state.globalStep(), settings.steps(), step.sources(), out.loss(), out.reconLoss(),
                out.auxLoss(), out.meanL0(), step.learningRate(), rows, System.nanoTime() - start);
        for (TrainingListener l : listeners) {
            l.onStep(stats);
        }
    }

    /**
     * @param loss a step's loss.
     * @param step its 0-based index.
     * @param sources its sources.
     * @throws IllegalStateException when the loss is not finite, saying what to try.
     */
    static void requireFinite(double loss, long step, int[] sources) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("Training diverged: loss is " + loss + " at step " + step
                    + " (source models " + Arrays.toString(sources)
                    + "); lower the learning rate or check the data for extreme values");
        }
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
