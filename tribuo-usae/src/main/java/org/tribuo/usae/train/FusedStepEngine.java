package org.tribuo.usae.train;

import org.tribuo.usae.data.Batch;

import java.util.List;

/**
 * Runs whole training steps (forward, backward, per-model clipping, AdamW, BatchNorm running
 * statistics), several per call, so that an accelerator receives the weights once per chunk.
 * The training loop plans each step (source model, learning rate, AdamW scalars) and does the
 * bookkeeping the engine does not own (step counts, dead-latent counters, listeners, checkpoints).
 */
public interface FusedStepEngine extends AutoCloseable {

    /** @return the most steps one {@link #run} call takes. */
    int chunkSteps();

    /**
     * Runs {@code plan.size()} steps, writing the new parameters, BatchNorm running statistics and
     * AdamW moments into the state's live arrays. It does not touch step counters.
     *
     * @param state   training state (parameters and optimiser moments are updated in place).
     * @param batches one standardised batch per step, all with the same number of rows.
     * @param plan    one planned step per batch.
     * @return one output per step, in order.
     */
    List<FusedStepOutput> run(TrainingState state, List<Batch> batches, List<FusedStep> plan);

    /** Releases native resources. */
    @Override
    void close();
}
