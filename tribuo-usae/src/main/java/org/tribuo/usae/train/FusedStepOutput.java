package org.tribuo.usae.train;

/**
 * What a fused engine reports about one step it ran.
 *
 * @param loss      total loss (before the update).
 * @param reconLoss reconstruction part.
 * @param auxLoss   auxiliary part, already weighted.
 * @param meanL0    mean number of non-zero codes per row.
 * @param fired     {@code [m]} true where some row's code of the source exceeded the fire threshold.
 */
public record FusedStepOutput(double loss, double reconLoss, double auxLoss, double meanL0, boolean[] fired) {
}
