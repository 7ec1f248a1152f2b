package org.tribuo.usae.train;

/**
 * One step of a chunk as the training loop planned it before the fused engine runs it.
 *
 * @param sources      the models encoded this step (one random model, or all of them).
 * @param learningRate the learning rate of the step's updates (schedule already applied).
 * @param adam         the AdamW scalars of every model updated this step (they share one step count).
 */
public record FusedStep(int[] sources, double learningRate, AdamW.StepScalars adam) {
}
