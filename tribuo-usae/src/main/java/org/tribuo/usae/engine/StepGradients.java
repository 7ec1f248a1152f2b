package org.tribuo.usae.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's gradient tensors of a training step, created on first use as zeroed scratch arrays of
 * the engine, so a step allocates no gradient memory (95 M floats a step at the paper shape); the
 * arrays are reused by the engine's next step. Only the tensors a step touches are present, so the
 * optimiser steps exactly those.
 */
final class StepGradients {
    private final Map<String, float[]> tensors = new LinkedHashMap<>();
    private final Scratch scratch;
    private final String prefix;

    /**
     * @param scratch the engine's scratch (arrays live as long as the engine).
     * @param owner   a key unique to the model among the engine's gradient sets.
     */
    StepGradients(Scratch scratch, String owner) {
        this.scratch = scratch;
        this.prefix = "grad." + owner + ".";
    }

    /** @return the tensor's gradient, a zeroed array of {@code length} on its first use in this step. */
    float[] tensor(String name, int length) {
        float[] g = tensors.get(name);
        if (g == null) {
            g = scratch.zeroFloats(prefix + name, length);
            tensors.put(name, g);
        }
        return g;
    }

    /** @return the tensor's gradient, or null when this step did not touch it. */
    float[] get(String name) {
        return tensors.get(name);
    }
}
