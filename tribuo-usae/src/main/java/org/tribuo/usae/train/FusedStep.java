package org.tribuo.usae.train;

/**
 * One step of a chunk as the training loop planned it before the fused engine runs it.
 *
 * @param source       the model encoded and updated this step.
 * @param learningRate the source's learning rate (schedule already applied).
 * @param adam         the source's AdamW scalars for this update (bias corrections of its step count).
 */
public record FusedStep(int source, double learningRate, AdamW.StepScalars adam) {
}
