package org.tribuo.usae.train;

import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the next training step depends on besides the data: parameters, AdamW state per
 * tensor, per-model update counts (schedule positions), dead-latent counters, the global step and
 * the random streams for source choice and dead-latent re-initialisation.
 */
public final class TrainingState {
    private final UsaeParameters params;
    private final List<Map<String, AdamW>> optimizers;
    private final long[] modelUpdates;
    private final long[][] stepsSinceFired;
    private final Rng64 sourceRng;
    private final Rng64 reinitRng;
    private long globalStep;

    /**
     * A fresh state around initial parameters.
     * @param params parameters (trained in place).
     * @param sourceRng random stream for the source model of each step.
     * @param reinitRng random stream for dead-latent re-initialisation.
     */
    public TrainingState(UsaeParameters params, Rng64 sourceRng, Rng64 reinitRng) {
        this.params = params;
        this.sourceRng = sourceRng;
        this.reinitRng = reinitRng;
        int numModels = params.numModels();
        this.optimizers = new ArrayList<>();
        for (ModelParameters p : params.models()) {
            Map<String, AdamW> opt = new LinkedHashMap<>();
            p.trainable().forEach((name, v) -> opt.put(name, new AdamW(v.length)));
            optimizers.add(opt);
        }
        this.modelUpdates = new long[numModels];
        this.stepsSinceFired = new long[numModels][params.architecture().numLatents()];
    }

    public UsaeParameters params() { return params; }

    /** @param model model index. @return its AdamW state per tensor name. */
    public Map<String, AdamW> optimizer(int model) { return optimizers.get(model); }

    /** @return per model, how many optimiser steps it has taken. */
    public long[] modelUpdates() { return modelUpdates; }

    /** @return per model, {@code [m]} steps since each latent last fired (SPARC's counters). */
    public long[][] stepsSinceFired() { return stepsSinceFired; }

    public Rng64 sourceRng() { return sourceRng; }
    public Rng64 reinitRng() { return reinitRng; }
    public long globalStep() { return globalStep; }

    void advance() {
        globalStep++;
    }
}
