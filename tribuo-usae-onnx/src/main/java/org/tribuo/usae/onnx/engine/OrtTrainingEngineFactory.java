package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.train.FusedEngineOptions;
import org.tribuo.usae.train.TrainingEngine;
import org.tribuo.usae.train.FusedStepEngineFactory;
import org.tribuo.usae.train.TrainingSettings;

/** Provides {@link EngineKind#ORT_CPU} and {@link EngineKind#ORT_CUDA} to the trainer (ServiceLoader). */
public final class OrtTrainingEngineFactory implements FusedStepEngineFactory {
    @Override
    public boolean supports(EngineKind kind) {
        return kind == EngineKind.ORT_CPU || kind == EngineKind.ORT_CUDA;
    }

    @Override
    public TrainingEngine create(EngineKind kind, TrainingSettings settings, int[] dims, FusedEngineOptions options) {
        return new OrtTrainingEngine(kind, settings, dims, options);
    }
}
