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
 * @param dataFingerprint the training data's {@link org.tribuo.usae.data.DataFingerprint}, "" in
 *                        checkpoints of format 1, which did not record it.
 */
public record TrainingCheckpoint(TrainingState state, long totalSteps, StreamPosition position, long dataSeed,
                                 int batchSize, long trainRows, String settings, String trainerConfig,
                                 int invocationCount, List<String> modelNames, int[] modelDims, long createdMillis,
                                 String dataFingerprint) {
    /** @return the identity of the run that wrote this checkpoint. */
    public RunIdentity identity() {
        return new RunIdentity(dataFingerprint, settings, trainRows, batchSize);
    }

    /** @return the global step the checkpoint was taken after. */
    public long globalStep() {
        return state.globalStep();
    }

    /**
     * Checks that a run can continue from this checkpoint: same models and widths, the same run
     * identity (data, resolved settings, batch draw) and the same data seed.
     *
     * @param file      where the checkpoint came from, for messages.
     * @param names     the data's model names.
     * @param dims      the data's widths.
     * @param run       the identity of the run that would continue it.
     * @param dataSeed  the run's data seed.
     * @throws CheckpointException naming the file and what differs.
     */
    public void requireResumableBy(java.nio.file.Path file, List<String> names, int[] dims, RunIdentity run,
                                   long dataSeed) {
        if (!modelNames.equals(names) || !java.util.Arrays.equals(modelDims, dims)) {
            throw new CheckpointException(file + ": checkpoint is of models " + modelNames + " with widths "
                    + java.util.Arrays.toString(modelDims) + ", the data has " + names + " with widths "
                    + java.util.Arrays.toString(dims));
        }
        if (!run.continues(identity())) {
            throw CheckpointFiles.otherRun(file, identity(), run);
        }
        if (this.dataSeed != dataSeed) {
            throw new CheckpointException(file + ": checkpoint drew batches with data seed " + this.dataSeed
                    + "; this run would use " + dataSeed + ": the same trainer invocation count is needed");
        }
    }
}
