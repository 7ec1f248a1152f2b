package org.tribuo.usae.train;

import org.tribuo.usae.engine.EngineKind;

import java.util.ServiceLoader;

/** Finds the fused engine of a kind among the {@link FusedStepEngineFactory} services on the class path. */
public final class FusedStepEngines {
    private FusedStepEngines() {
    }

    /**
     * @param kind       a fused kind ({@link EngineKind#fused()}).
     * @param settings   the run's settings.
     * @param dims       model widths.
     * @param options    chunk length and precision.
     * @return the engine.
     * @throws IllegalArgumentException when the kind is not fused, or the engine rejects the settings.
     * @throws IllegalStateException when no module on the class path provides the kind.
     */
    public static TrainingEngine create(EngineKind kind, TrainingSettings settings, int[] dims,
                                         FusedEngineOptions options) {
        return factory(kind).create(kind, settings, dims, options);
    }

    /**
     * @param kind any engine kind.
     * @return its heap model: the per-step kind's own, or the fused kind's factory's.
     * @throws IllegalStateException when no module on the class path provides a fused kind.
     */
    public static org.tribuo.usae.engine.StepMemory memory(EngineKind kind) {
        return kind.fused() ? factory(kind).memory(kind) : kind.memory();
    }

    private static FusedStepEngineFactory factory(EngineKind kind) {
        if (!kind.fused()) {
            throw new IllegalArgumentException("engine " + kind + " is a per-step engine, not a fused one");
        }
        for (FusedStepEngineFactory f : ServiceLoader.load(FusedStepEngineFactory.class)) {
            if (f.supports(kind)) {
                return f;
            }
        }
        throw new IllegalStateException("engine " + kind + " needs the tribuo-usae-onnx module on the class path"
                + " (no " + FusedStepEngineFactory.class.getSimpleName() + " service provides it)");
    }
}
