package org.tribuo.usae.train;

/** Callback of the training loop (progress bars, logging, checkpoints). */
@FunctionalInterface
public interface TrainingListener {
    /** @param stats the step that just finished. */
    void onStep(StepStats stats);
}
