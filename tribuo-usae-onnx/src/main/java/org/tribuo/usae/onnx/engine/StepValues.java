package org.tribuo.usae.onnx.engine;

import java.util.List;
import java.util.Map;

/**
 * The graph values one training step produces ({@link StepGraph}).
 *
 * @param state  per model, state key ({@link StateLayout.Slot#key()}) to its value after the step.
 * @param loss   scalar total loss.
 * @param recon  scalar reconstruction part.
 * @param aux    scalar weighted aux part.
 * @param meanL0 scalar mean non-zero codes per row, averaged over the sources.
 * @param fired  {@code [M x m]} 1 where a source's code exceeded the fire threshold, else 0.
 */
record StepValues(List<Map<String, String>> state, String loss, String recon, String aux, String meanL0,
                  String fired) {
}
