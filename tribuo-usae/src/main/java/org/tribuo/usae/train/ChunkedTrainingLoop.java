package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.SourceSelection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The training loop for a {@link FusedStepEngine}: it draws the chunk's batches and source models in
 * step order (the same random streams, in the same order, as {@link TrainingLoop}), plans each step's
 * learning rate and AdamW scalars, lets the engine run the chunk, then does the per-step bookkeeping
 * (optimiser step counts, update counts, dead-latent counters, BatchNorm batch counts, listeners).
 * Checkpoints and stop requests are honoured between chunks.
 */
public final class ChunkedTrainingLoop {
    private final FusedStepEngine engine;
    private final TrainingSettings settings;
    private final ParameterUpdate update;
    private final List<TrainingListener> listeners;

    /**
     * @param engine the fused engine.
     * @param settings resolved settings (one random source per step).
     * @param listeners step callbacks (called after each chunk, once per step).
     */
    public ChunkedTrainingLoop(FusedStepEngine engine, TrainingSettings settings, List<TrainingListener> listeners) {
        if (settings.objective().sources() != SourceSelection.RANDOM_ONE) {
            throw new IllegalArgumentException("fused training supports sources = RANDOM_ONE only so far, got "
                    + settings.objective().sources());
        }
        if (settings.deadReinitEvery() != 0) {
            throw new IllegalArgumentException("fused training does not re-initialise dead latents yet; "
                    + "deadReinitEvery must be 0, got " + settings.deadReinitEvery());
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

    void run(TrainingState state, Iterator<Batch> batches, Checkpointer checkpointer) {
        long start = System.nanoTime();
        while (state.globalStep() < settings.steps()) {
            int n = (int) Math.min(engine.chunkSteps(), settings.steps() - state.globalStep());
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
                int source = state.sourceRng().nextInt(state.params().numModels());
                double lr = update.learningRate(step, updates[source]);
                // every tensor of a model steps together, so any one's count is the model's count
                long adamStep = firstOptimizer(state, source).steps() + updates[source] - state.modelUpdates()[source] + 1;
                plan.add(new FusedStep(source, lr, AdamW.scalars(lr, adamStep, settings.adam())));
                updates[source]++;
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

    private void finishStep(TrainingState state, FusedStep step, FusedStepOutput out, int rows, long start) {
        if (!Double.isFinite(out.loss())) {
            throw new IllegalStateException("Training diverged: loss is " + out.loss() + " at step "
                    + state.globalStep() + " (source model " + step.source()
                    + "); lower the learning rate or check the data for extreme values");
        }
        int s = step.source();
        ParameterUpdate.updateCounters(state.stepsSinceFired()[s], out.fired());
        var p = state.params().model(s);
        if (p.bnRunningMean() != null) {
            p.setBnBatchesTracked(p.bnBatchesTracked() + 1);
        }
        for (AdamW a : state.optimizer(s).values()) {
            a.recordSteps(1);
        }
        state.modelUpdates()[s]++;
        state.advance();
        StepStats stats = new StepStats(state.globalStep(), settings.steps(), new int[]{s}, out.loss(), out.reconLoss(),
                out.auxLoss(), out.meanL0(), step.learningRate(), rows, System.nanoTime() - start);
        for (TrainingListener l : listeners) {
            l.onStep(stats);
        }
    }

    private static AdamW firstOptimizer(TrainingState state, int model) {
        Map<String, AdamW> opt = state.optimizer(model);
        return opt.values().iterator().next();
    }
}
