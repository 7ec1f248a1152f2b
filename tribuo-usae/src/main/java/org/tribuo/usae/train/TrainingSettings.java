package org.tribuo.usae.train;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.Objective;

/**
 * Every resolved choice of a training run (the trainer's configuration after recipe defaults).
 *
 * @param architecture       the model shape.
 * @param objective          loss, sources and update rule.
 * @param adam               AdamW hyperparameters.
 * @param learningRate       peak learning rate.
 * @param finalLearningRate  cosine end value.
 * @param warmupStartRate    first warmup value.
 * @param cosineSchedule     cosine with warmup, else constant.
 * @param schedulePerSource  official quirk: a model's schedule advances only when it is updated.
 * @param gradClip           per-model global-norm clip (0 = none).
 * @param deadReinitEvery    SPARC dead-latent re-initialisation period in steps (0 = never).
 * @param tiedInit           SPARC's tied unit-norm init instead of the official one.
 * @param batchSize          rows per step.
 * @param steps              total steps.
 * @param warmupSteps        warmup steps.
 * @param standardizationRows rows sampled to estimate each model's scalar mean and std.
 * @param seed               the run's seed.
 */
public record TrainingSettings(Architecture architecture, Objective objective, AdamWConfig adam,
                               double learningRate, double finalLearningRate, double warmupStartRate,
                               boolean cosineSchedule, boolean schedulePerSource, double gradClip,
                               int deadReinitEvery, boolean tiedInit, int batchSize, long steps, long warmupSteps,
                               int standardizationRows, long seed) {

    /** @return the learning-rate schedule these settings describe. */
    public LrSchedule schedule() {
        return cosineSchedule
                ? LrSchedule.cosine(learningRate, finalLearningRate, warmupStartRate, steps, warmupSteps)
                : LrSchedule.constant(learningRate);
    }
}
