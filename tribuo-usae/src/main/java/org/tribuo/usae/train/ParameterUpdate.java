package org.tribuo.usae.train;

import org.tribuo.usae.engine.PhaseTimer;
import org.tribuo.usae.engine.StepOutput;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.Map;

/**
 * Applies one step's gradients to the training state: BatchNorm running statistics and dead-latent
 * counters of the sources, SPARC's renormalise-and-project for unit-norm dictionaries, per-model
 * gradient clipping, the learning-rate schedule, AdamW, and periodic dead-latent re-initialisation.
 */
public final class ParameterUpdate {
    /** PyTorch BatchNorm1d momentum. */
    static final float BN_MOMENTUM = 0.1f;

    private final TrainingSettings settings;
    private final LrSchedule schedule;

    /** @param settings the run's settings. */
    public ParameterUpdate(TrainingSettings settings) {
        this.settings = settings;
        this.schedule = settings.schedule();
    }

    /**
     * @param state   training state, updated in place.
     * @param out     the step's gradients and statistics.
     * @param sources the step's source models.
     * @return the learning rate used by the first source.
     */
    public double apply(TrainingState state, StepOutput out, int[] sources) {
        long clock = PhaseTimer.start();
        try {
            return applyUntimed(state, out, sources);
        } finally {
            PhaseTimer.stop(PhaseTimer.Phase.OPTIMIZER, clock);
        }
    }

    private double applyUntimed(TrainingState state, StepOutput out, int[] sources) {
        UsaeParameters params = state.params();
        for (int s : sources) {
            updateCounters(state.stepsSinceFired()[s], out.fired()[s]);
            if (out.bnBatchMean()[s] != null) {
                updateRunningStats(params.model(s), out.bnBatchMean()[s], out.bnBatchVar()[s]);
            }
        }
        double firstLr = Double.NaN;
        for (int i = 0; i < params.numModels(); i++) {
            Map<String, float[]> grads = out.gradients().get(i);
            if (grads.isEmpty()) {
                continue;
            }
            ModelParameters p = params.model(i);
            if (grads.containsKey(ModelParameters.DICTIONARY)) {
                settings.architecture().dictionary().normalization().beforeUpdate(p.dictionary(),
                        grads.get(ModelParameters.DICTIONARY), p.numLatents(), p.dim());
            }
            if (settings.gradClip() > 0) {
                clip(grads, settings.gradClip());
            }
            double lr = learningRate(state, i);
            if (Double.isNaN(firstLr) || i == sources[0]) {
                firstLr = lr;
            }
            Map<String, AdamW> opt = state.optimizer(i);
            for (Map.Entry<String, float[]> g : grads.entrySet()) {
                opt.get(g.getKey()).step(p.get(g.getKey()), g.getValue(), lr, settings.adam());
            }
            state.modelUpdates()[i]++;
        }
        // SPARC's train_loop checks `global_step % N == 0` with the 0-based index of the step just
        // taken (before incrementing it), so the checks follow steps 0, N, 2N, ...
        if (settings.deadReinitEvery() > 0 && state.globalStep() % settings.deadReinitEvery() == 0) {
            reinitializeDead(state);
        }
        state.advance();
        return firstLr;
    }

    private double learningRate(TrainingState state, int model) {
        return learningRate(state.globalStep(), state.modelUpdates()[model]);
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

    /** PyTorch: running = (1 - momentum) running + momentum batch, with the unbiased batch variance. */
    static void updateRunningStats(ModelParameters p, float[] batchMean, float[] batchVar) {
        float[] rm = p.bnRunningMean();
        float[] rv = p.bnRunningVar();
        for (int j = 0; j < rm.length; j++) {
            rm[j] = (1 - BN_MOMENTUM) * rm[j] + BN_MOMENTUM * batchMean[j];
            rv[j] = (1 - BN_MOMENTUM) * rv[j] + BN_MOMENTUM * batchVar[j];
        }
        p.setBnBatchesTracked(p.bnBatchesTracked() + 1);
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
