package org.tribuo.usae.train;

import java.util.List;

/**
 * What an engine reports about one step it ran.
 *
 * @param loss           total loss (before the update).
 * @param reconLoss      reconstruction part.
 * @param auxLoss        auxiliary part, already weighted.
 * @param meanL0         mean number of non-zero codes per row, averaged over the sources.
 * @param fired          per model, {@code [m]} true where some row's code exceeded the fire threshold (null for
 *                       models that were not sources).
 * @param updatedTensors per model, the tensors whose AdamW took a step (empty for models not updated).
 */
public record StepResult(double loss, double reconLoss, double auxLoss, double meanL0, boolean[][] fired,
                         List<List<String>> updatedTensors) {
}
