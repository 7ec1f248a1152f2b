package org.tribuo.usae.pipeline;

import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.model.UsaeModel;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Training} run produced.
 *
 * @param model      the trained model.
 * @param evaluation the held-out evaluation, or null when the trainer held out no rows.
 * @param heldOut    rows evaluated (0 without a hold-out).
 * @param files      the files written into the output folder, in writing order.
 */
public record TrainingResult(UsaeModel model, EvaluationReport evaluation, long heldOut, List<Path> files) {
    public TrainingResult {
        files = List.copyOf(files);
    }
}
