package org.tribuo.usae.train;

import org.tribuo.usae.data.StreamPosition;

import java.util.List;

/**
 * A training checkpoint in memory: the training state plus where the data stream stands and what
 * the run was configured as.
 *
 * @param state           parameters, optimiser moments, counters, global step and random streams.
 * @param totalSteps      the run's total steps.
 * @param position        the data stream's position of the next batch.
 * @param dataSeed        the data stream's shuffling seed.
 * @param batchSize       rows per batch.
 * @param trainRows       rows the stream draws from ({@code [0, trainRows)}).
 * @param settings        the resolved {@link TrainingSettings}, as text.
 * @param trainerConfig   the trainer's OLCUT configuration (XML) for this run.
 * @param invocationCount the trainer invocation count the run trained as.
 * @param modelNames      model names, in order.
 * @param modelDims       model widths, in order.
 * @param createdMillis   wall-clock time written (epoch millis).
 */
public record TrainingCheckpoint(TrainingState state, long totalSteps, StreamPosition position, long dataSeed,
                                 int batchSize, long trainRows, String settings, String trainerConfig,
                                 int invocationCount, List<String> modelNames, int[] modelDims, long createdMillis) {
    /** @return the global step the checkpoint was taken after. */
    public long globalStep() {
        return state.globalStep();
    }
}
