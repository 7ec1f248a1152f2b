package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;

import org.tribuo.usae.engine.PhaseTimer;
import org.tribuo.usae.engine.StepOutput;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happens to the training state around an engine's forward and backward, in one place for every engine:
 * the step's plan (each updated model's learning rate and AdamW scalars: {@link #plan}), the gradients' application
 * of the per-step engines (BatchNorm running statistics, the dictionary normalisation's change before the update,
 * per-model gradient clipping, AdamW: {@link #applyGradients}; the fused engines do the same in their graph), and
 * the books every engine's step ends with (dead-latent counters, BatchNorm batch counts, AdamW and update counts,
 * SPARC's dead-latent re-initialisation, the step counter: {@link #finish}).
 */
public final class ParameterUpdate {
    /** PyTorch BatchNorm1d momentum. */
    static final float BN_MOMENTUM = 0.1f;

    private final TrainingSettings settings;
    private final LrSchedule schedule;
    private final DeadLatentReinit reinit;

    /** @param settings the run's settings (dead latents re-initialised from noise, SPARC's way). */
    public ParameterUpdate(TrainingSettings settings) {
        this(settings, DeadLatentReinit.NOISE);
    }

    /**
     * @param settings the run's settings.
     * @param reinit   how dead latents restart.
     */
    public ParameterUpdate(TrainingSettings settings, DeadLatentReinit reinit) {
        this.settings = settings;
        this.schedule = settings.schedule();
        this.reinit = reinit;
    }

    /**
     * One whole step's update from a per-step engine's output, as {@link TrainingLoop} does it with
     * {@link PerStepEngine}: plan, apply the gradients, finish. For tests that drive an engine by hand.
     * @param state   training state, updated in place.
     * @param out     the step's gradients and statistics.
     * @param sources the step's source models.
     * @return the learning rate of the first source's update.
     */
    public double apply(TrainingState state, StepOutput out, int[] sources) {
        PlannedStep plan = plan(state, state.globalStep(), sources, state.modelUpdates().clone());
        List<List<String>> updated = applyGradients(state, out, plan);
        finish(state, plan, out.fired(), updated, null);
        return plan.learningRate();
    }

    /**
     * Plans a step: every model the update rule moves gets its learning rate (from the schedule at the step, or its
     * own update count with the per-source schedule) and its AdamW scalars (from the step count its first tensor
     * will have after the update).
     * @param state   training state (optimiser step counts as of the chunk's start).
     * @param step    0-based index of the step.
     * @param sources its source models.
     * @param updates per model, its update count before this step, counting the chunk's earlier planned steps;
     *                advanced here for the models this step updates.
     * @return the plan.
     */
    PlannedStep plan(TrainingState state, long step, int[] sources, long[] updates) {
        int n = state.params().numModels();
        double[] lr = new double[n];
        AdamW.StepScalars[] adam = new AdamW.StepScalars[n];
        java.util.Arrays.fill(lr, Double.NaN);
        for (int t = 0; t < n; t++) {
            if (!settings.objective().updateRule().updates(t, sources)) {
                continue;
            }
            lr[t] = learningRate(step, updates[t]);
            // every tensor of a model steps together, so its first tensor's count is the model's
            long pending = updates[t] - state.modelUpdates()[t];
            long adamStep = state.optimizer(t).values().iterator().next().steps() + pending + 1;
            adam[t] = AdamW.scalars(lr[t], adamStep, settings.adam());
        }
        for (int t = 0; t < n; t++) {
            if (adam[t] != null) {
                updates[t]++;
            }
        }
        return new PlannedStep(sources, lr, adam);
    }

    /**
     * Applies a per-step engine's gradients: the sources' BatchNorm running statistics, then per updated model the
     * dictionary normalisation's change before the update, clipping, and AdamW at the planned learning rate with
     * the bias corrections of each tensor's own step count. Counts nothing ({@link #finish} does).
     * @param state training state, updated in place.
     * @param out   the step's gradients and statistics.
     * @param plan  the step's plan.
     * @return per model, the tensors that took an AdamW step.
     * @throws IllegalStateException when the engine returned gradients of a model the plan does not update.
     */
    public List<List<String>> applyGradients(TrainingState state, StepOutput out, PlannedStep plan) {
        long clock = PhaseTimer.start();
        try {
            UsaeParameters params = state.params();
            for (int s : plan.sources()) {
                if (out.bnBatchMean()[s] != null) {
                    updateRunningStats(params.model(s), out.bnBatchMean()[s], out.bnBatchVar()[s]);
                }
            }
            List<List<String>> updated = new ArrayList<>();
            for (int i = 0; i < params.numModels(); i++) {
                Map<String, float[]> grads = out.gradients().get(i);
                updated.add(List.copyOf(grads.keySet()));
                if (grads.isEmpty()) {
                    continue;
                }
                if (!plan.updates(i)) {
                    throw new IllegalStateException("the engine returned gradients of model " + i
                            + ", which the update rule leaves alone this step");
                }
                ModelParameters p = params.model(i);
                if (grads.containsKey(ModelParameters.DICTIONARY)) {
                    settings.architecture().dictionary().normalization().beforeUpdate(p.dictionary(),
                            grads.get(ModelParameters.DICTIONARY), p.numLatents(), p.dim());
                }
                if (settings.gradClip() > 0) {
                    clip(grads, settings.gradClip());
                }
                Map<String, AdamW> opt = state.optimizer(i);
                for (Map.Entry<String, float[]> g : grads.entrySet()) {
                    AdamW a = opt.get(g.getKey());
                    a.apply(p.get(g.getKey()), g.getValue(),
                            AdamW.scalars(plan.learningRates()[i], a.steps() + 1, settings.adam()), settings.adam());
                }
            }
            return updated;
        } finally {
            PhaseTimer.stop(PhaseTimer.Phase.OPTIMIZER, clock);
        }
    }

    /**
     * The books of a step every engine ran: the sources' dead-latent counters and BatchNorm batch counts, one AdamW
     * step per updated tensor and one update per updated model, SPARC's re-initialisation of dead latents, then the
     * step counter.
     * @param state          training state, updated in place.
     * @param plan           the step's plan.
     * @param fired          per source, {@code [m]} the latents that fired.
     * @param updatedTensors per model, the tensors that took an AdamW step.
     */
    public void finish(TrainingState state, PlannedStep plan, boolean[][] fired, List<List<String>> updatedTensors,
                       Batch batch) {
        for (int s : plan.sources()) {
            updateCounters(state.stepsSinceFired()[s], fired[s]);
            ModelParameters p = state.params().model(s);
            if (p.bnRunningMean() != null) {
                p.setBnBatchesTracked(p.bnBatchesTracked() + 1);
            }
        }
        for (int i = 0; i < updatedTensors.size(); i++) {
            if (updatedTensors.get(i).isEmpty()) {
                continue;
            }
            for (String tensor : updatedTensors.get(i)) {
                state.optimizer(i).get(tensor).recordSteps(1);
            }
            state.modelUpdates()[i]++;
        }
        // SPARC's train_loop checks `global_step % N == 0` with the 0-based index of the step just
        // taken (before incrementing it), so the checks follow steps 0, N, 2N, ...
        if (settings.deadReinitEvery() > 0 && state.globalStep() % settings.deadReinitEvery() == 0) {
            if (reinit.fromData()) {
                if (batch == null) {
                    throw new IllegalArgumentException("re-initialising dead latents from data needs the step's batch");
                }
                reinitializeDeadFromData(state, batch);
            } else {
                reinitializeDead(state);
            }
        }
        state.advance();
    }

    /**
     * @param globalStep 0-based index of the step about to be taken.
     * @param modelUpdates updates the model has taken before this step.
     * @return the model's learning rate for this step.
     */
    double learningRate(long globalStep, long modelUpdates) {
        if (!settings.schedulePerSource()) {
            return schedule.at(globalStep);
        }
        // Official quirk: the first update uses the optimiser's constructor rate; sched.step() then
        // sets schedule[1], schedule[2], ... for the following updates of that model.
        return modelUpdates == 0 ? settings.learningRate() : schedule.at(modelUpdates);
    }

    /** SPARC: reset to 1 where fired this step, else count up. */
    static void updateCounters(long[] counters, boolean[] fired) {
        for (int j = 0; j < counters.length; j++) {
            counters[j] = fired[j] ? 1 : counters[j] + 1;
        }
    }

    /**
     * PyTorch: running = (1 - momentum) running + momentum batch, with the unbiased batch variance (the batch count
     * is {@link #finish}'s).
     */
    static void updateRunningStats(ModelParameters p, float[] batchMean, float[] batchVar) {
        float[] rm = p.bnRunningMean();
        float[] rv = p.bnRunningVar();
        for (int j = 0; j < rm.length; j++) {
            rm[j] = (1 - BN_MOMENTUM) * rm[j] + BN_MOMENTUM * batchMean[j];
            rv[j] = (1 - BN_MOMENTUM) * rv[j] + BN_MOMENTUM * batchVar[j];
        }
    }

    /** torch.nn.utils.clip_grad_norm_ over one model's gradients. */
    static void clip(Map<String, float[]> grads, double maxNorm) {
        double sq = 0;
        for (float[] g : grads.values()) {
            for (float v : g) {
                sq += (double) v * v;
            }
        }
        double coef = maxNorm / (Math.sqrt(sq) + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            for (float[] g : grads.values()) {
                for (int q = 0; q < g.length; q++) {
                    g[q] *= c;
                }
            }
        }
    }

    /** {@link DeadLatentReinit#DATA_ROWS}: each dead latent restarts from one token of the step's standardised batch. */
    void reinitializeDeadFromData(TrainingState state, Batch batch) {
        int deadSteps = settings.objective().deadSteps();
        int models = state.params().numModels();
        int m = state.params().architecture().numLatents();
        double[] liveNorm = new double[models];
        for (int i = 0; i < models; i++) {
            liveNorm[i] = meanLiveEncoderNorm(state.params().model(i), state.stepsSinceFired()[i], deadSteps);
        }
        for (int j = 0; j < m; j++) {
            boolean any = false;
            for (int i = 0; i < models; i++) {
                any |= state.stepsSinceFired()[i][j] > deadSteps;
            }
            if (!any) {
                continue;
            }
            int row = state.reinitRng().nextInt(batch.rows());
            for (int i = 0; i < models; i++) {
                if (state.stepsSinceFired()[i][j] <= deadSteps) {
                    continue;
                }
                ModelParameters p = state.params().model(i);
                int d = p.dim();
                float[] u = new float[d];
                float[] bias = p.inputBias();
                double norm = 0;
                for (int c = 0; c < d; c++) {
                    u[c] = batch.x()[i][row * d + c] - (bias == null ? 0f : bias[c]);
                    norm += (double) u[c] * u[c];
                }
                if (norm == 0) {
                    continue;                                       // a zero token has no direction to give
                }
                double inv = 1 / Math.sqrt(norm);
                for (int c = 0; c < d; c++) {
                    p.dictionary()[j * d + c] = (float) (u[c] * inv);
                    p.encoderWeight()[j * d + c] = (float) (u[c] * inv * liveNorm[i]);
                }
                p.encoderBias()[j] = 0;
                resetMoments(state.optimizer(i).get(ModelParameters.DICTIONARY), j * d, d);
                resetMoments(state.optimizer(i).get(ModelParameters.ENC_WEIGHT), j * d, d);
                resetMoments(state.optimizer(i).get(ModelParameters.ENC_BIAS), j, 1);
                state.stepsSinceFired()[i][j] = 0;
            }
        }
    }

    private static double meanLiveEncoderNorm(ModelParameters p, long[] counters, int deadSteps) {
        int d = p.dim();
        double sum = 0;
        int live = 0;
        for (int j = 0; j < counters.length; j++) {
            if (counters[j] > deadSteps) {
                continue;
            }
            double n = 0;
            for (int c = 0; c < d; c++) {
                n += (double) p.encoderWeight()[j * d + c] * p.encoderWeight()[j * d + c];
            }
            sum += Math.sqrt(n);
            live++;
        }
        return live == 0 ? 1 : sum / live;
    }

    private static void resetMoments(AdamW a, int from, int length) {
        if (a != null) {
            java.util.Arrays.fill(a.firstMoment(), from, from + length, 0f);
            java.util.Arrays.fill(a.secondMoment(), from, from + length, 0f);
        }
    }

    /** SPARC: encoder rows of dead latents to N(0, 0.01^2), their latent bias to 0, counters to 0. */
    void reinitializeDead(TrainingState state) {
        int deadSteps = settings.objective().deadSteps();
        for (int i = 0; i < state.params().numModels(); i++) {
            ModelParameters p = state.params().model(i);
            long[] counters = state.stepsSinceFired()[i];
            for (int j = 0; j < counters.length; j++) {
                if (counters[j] <= deadSteps) {
                    continue;
                }
                for (int c = 0; c < p.dim(); c++) {
                    p.encoderWeight()[j * p.dim() + c] = (float) (Initializer.gaussian(state.reinitRng()) * 0.01);
                }
                p.encoderBias()[j] = 0;
                counters[j] = 0;
            }
        }
    }
}
