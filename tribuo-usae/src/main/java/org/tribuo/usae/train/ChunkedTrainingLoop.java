package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The training loop for a {@link FusedStepEngine}: it draws the chunk's batches and source models in
 * step order (the same random streams, in the same order, as {@link TrainingLoop}), plans each step's
 * learning rate and AdamW scalars, lets the engine run the chunk, then does the per-step bookkeeping
 * (optimiser step counts, update counts, dead-latent counters, BatchNorm batch counts, listeners).
 * A chunk ends at every step after which dead latents are re-initialised (that uses the Java random
 * stream, so it runs here between chunks). CheckpointFiles and stop requests are honoured between chunks.
 */
public final class ChunkedTrainingLoop {
    private final FusedStepEngine engine;
    private final TrainingSettings settings;
    private final ParameterUpdate update;
    private final List<TrainingListener> listeners;

    /**
     * @param engine the fused engine.
     * @param settings resolved settings.
     * @param listeners step callbacks (called after each chunk, once per step).
     */
    public ChunkedTrainingLoop(FusedStepEngine engine, TrainingSettings settings, List<TrainingListener> listeners) {
        if (settings.objective().sources().everyModel() != settings.objective().updateRule().everyModel()) {
            throw new IllegalArgumentException("fused training pairs sources = ALL with updateRule = ALL_MODELS and "
                    + "RANDOM_ONE with SOURCE_ONLY; got " + settings.objective().sources() + " with "
                    + settings.objective().updateRule());
        }
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

    void run(TrainingState state, Iterator<Batch> batches, CheckpointSchedule checkpointer) {
        long start = System.nanoTime();
        int numModels = state.params().numModels();
        while (state.globalStep() < settings.steps()) {
            int n = chunkLength(state.globalStep());
            List<Batch> chunk = new ArrayList<>(n);
            List<FusedStep> plan = new ArrayList<>(n);
            long[] updates = state.modelUpdates().clone();
            for (int q = 0; q < n; q++) {
                long step = state.globalStep() + q;
                if (!batches.hasNext()) {
                    throw new NoSuchElementException("The batch stream ended at step " + step + " of " + settings.steps());
                }
                Batch batch = batches.next();
                TrainingLoop.standardize(state.params(), batch);
                chunk.add(batch);
                int[] sources = settings.objective().sources().draw(numModels, state.sourceRng()::nextInt);
                double lr = update.learningRate(step, updates[sources[0]]);
                long adamStep = adamSteps(state, sources[0]) + updates[sources[0]] - state.modelUpdates()[sources[0]] + 1;
                for (int s : sources) {
                    if (adamSteps(state, s) + updates[s] - state.modelUpdates()[s] + 1 != adamStep) {
                        throw new IllegalStateException("fused steps share one AdamW step count per step, but model " + s
                                + " is at a different count than model " + sources[0]);
                    }
                    updates[s]++;
                }
                plan.add(new FusedStep(sources, lr, AdamW.scalars(lr, adamStep, settings.adam())));
            }
            List<FusedStepOutput> outs = engine.run(state, chunk, plan);
            for (int q = 0; q < n; q++) {
                finishStep(state, plan.get(q), outs.get(q), chunk.get(q).rows(), start);
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

    private void finishStep(TrainingState state, FusedStep step, FusedStepOutput out, int rows, long start) {
        if (!Double.isFinite(out.loss())) {
            throw new IllegalStateException("Training diverged: loss is " + out.loss() + " at step "
                    + state.globalStep() + " (source models " + Arrays.toString(step.sources())
                    + "); lower the learning rate or check the data for extreme values");
        }
        for (int s : step.sources()) {
            ParameterUpdate.updateCounters(state.stepsSinceFired()[s], out.fired()[s]);
            var p = state.params().model(s);
            if (p.bnRunningMean() != null) {
                p.setBnBatchesTracked(p.bnBatchesTracked() + 1);
            }
            for (AdamW a : state.optimizer(s).values()) {
                a.recordSteps(1);
            }
            state.modelUpdates()[s]++;
        }
        if (settings.deadReinitEvery() > 0 && state.globalStep() % settings.deadReinitEvery() == 0) {
            update.reinitializeDead(state);
        }
        state.advance();
        StepStats stats = new StepStats(state.globalStep(), settings.steps(), step.sources(), out.loss(), out.reconLoss(),
                out.auxLoss(), out.meanL0(), step.learningRate(), rows, System.nanoTime() - start);
        for (TrainingListener l : listeners) {
            l.onStep(stats);
        }
    }

    private static long adamSteps(TrainingState state, int model) {
        // every tensor of a model steps together, so any one's count is the model's count
        Map<String, AdamW> opt = state.optimizer(model);
        return opt.values().iterator().next().steps();
    }
}
