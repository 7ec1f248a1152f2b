package org.tribuo.usae.engine;

import java.util.List;
import java.util.Map;

/**
 * The result of one training forward/backward pass.
 *
 * @param loss          the total loss that was differentiated.
 * @param reconLoss     the reconstruction part (weighted sum over source/target terms).
 * @param auxLoss       the auxiliary part, already weighted.
 * @param gradients     per model, gradients of the trainable tensors the update rule moves, by
 *                      tensor name; an absent model or tensor gets no update this step.
 * @param bnBatchMean   per model, {@code [m]} batch mean of the pre-BN activations for sources of
 *                      a BATCHNORM encoder, else null.
 * @param bnBatchVar    per model, {@code [m]} unbiased batch variance (for running_var), else null.
 * @param fired         per model, {@code [m]} true where some row's code exceeded the fire
 *                      threshold (sources only; null for models not encoded).
 * @param meanL0        mean number of non-zero codes per row, averaged over sources.
 */
public record StepOutput(double loss, double reconLoss, double auxLoss, List<Map<String, float[]>> gradients,
                         float[][] bnBatchMean, float[][] bnBatchVar, boolean[][] fired, double meanL0) {
}
