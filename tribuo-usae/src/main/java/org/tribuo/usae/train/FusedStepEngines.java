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
        if (!kind.fused()) {
            throw new IllegalArgumentException("engine " + kind + " is a per-step engine, not a fused one");
        }
        for (FusedStepEngineFactory f : ServiceLoader.load(FusedStepEngineFactory.class)) {
            if (f.supports(kind)) {
                return f.create(kind, settings, dims, options);
            }
        }
        throw new IllegalStateException("engine " + kind + " needs the tribuo-usae-onnx module on the class path"
                + " (no " + FusedStepEngineFactory.class.getSimpleName() + " service provides it)");
    }
}
