package org.tribuo.usae.train;

import org.tribuo.usae.engine.EngineKind;

/**
 * Service-provider interface for fused engines: a module that implements one lists its factory in
 * {@code META-INF/services/org.tribuo.usae.train.FusedStepEngineFactory}.
 */
public interface FusedStepEngineFactory {

    /** @param kind an engine kind. @return true if this factory builds it. */
    boolean supports(EngineKind kind);

    /**
     * @param kind       the engine kind (one this factory supports).
     * @param settings   the run's resolved settings.
     * @param dims       model widths, in model order.
     * @param options    chunk length and precision.
     * @return a new engine.
     * @throws IllegalArgumentException naming the setting or option the engine cannot run.
     */
    TrainingEngine create(EngineKind kind, TrainingSettings settings, int[] dims, FusedEngineOptions options);

    /**
     * @param kind the engine kind (one this factory supports).
     * @return the heap its engine's chunk holds beyond what every run holds.
     */
    org.tribuo.usae.engine.StepMemory memory(EngineKind kind);
}
