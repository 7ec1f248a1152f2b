package org.tribuo.usae.train;

/**
 * What a listener learns after each step.
 * @param step        1-based step just finished.
 * @param totalSteps  steps in the run.
 * @param sources     source models of the step.
 * @param loss        total loss.
 * @param reconLoss   reconstruction part.
 * @param auxLoss     auxiliary part.
 * @param meanL0      mean active codes per row.
 * @param learningRate learning rate of the (first) source.
 * @param rows        rows in the step.
 * @param elapsedNanos time since the run started.
 */
public record StepStats(long step, long totalSteps, int[] sources, double loss, double reconLoss, double auxLoss,
                        double meanL0, double learningRate, int rows, long elapsedNanos) {
}
