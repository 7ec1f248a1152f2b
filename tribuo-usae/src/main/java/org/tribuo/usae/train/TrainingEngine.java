package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;

import java.util.List;

/**
 * The one contract of a training engine: run whole training steps (forward, backward, the gradients' application:
 * dictionary normalisation, per-model clipping, AdamW, BatchNorm running statistics), up to {@link #chunkSteps()} per
 * call, so that an accelerator receives the weights once per chunk. The {@link TrainingLoop} plans each step (sources,
 * learning rates, AdamW scalars) and keeps every book the engine does not (step counts, dead-latent counters,
 * BatchNorm batch counts, re-initialisation, listeners, checkpoints). The CPU and reference engines run through
 * {@link PerStepEngine}, a chunk of one; the ORT engines come from {@link FusedStepEngines}.
 */
public interface TrainingEngine extends AutoCloseable {

    /** @return the most steps one {@link #run} call takes. */
    int chunkSteps();

    /**
     * Runs {@code plan.size()} steps, writing the new parameters, BatchNorm running statistics and AdamW moments
     * into the state's live arrays. It does not touch step counters.
     *
     * @param state   training state (parameters and optimiser moments are updated in place).
     * @param batches one standardised batch per step, all with the same number of rows.
     * @param plan    one planned step per batch.
     * @return one result per step, in order.
     */
    List<StepResult> run(TrainingState state, List<Batch> batches, List<PlannedStep> plan);

    /** Releases native resources. */
    @Override
    void close();
}
