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

    /**
     * Restores a state from a checkpoint. The arrays and maps are taken over, not copied.
     * @param params parameters.
     * @param optimizers per model, AdamW state per trainable tensor name (exactly the model's trainable tensors).
     * @param modelUpdates per model, optimiser steps taken.
     * @param stepsSinceFired per model, {@code [m]} dead-latent counters.
     * @param sourceRng source-model stream.
     * @param reinitRng dead-latent re-initialisation stream.
     * @param globalStep steps taken.
     * @return the state.
     */
    public static TrainingState restore(UsaeParameters params, List<Map<String, AdamW>> optimizers, long[] modelUpdates,
                                        long[][] stepsSinceFired, Rng64 sourceRng, Rng64 reinitRng, long globalStep) {
        TrainingState s = new TrainingState(params, sourceRng, reinitRng);
        int n = params.numModels();
        if (optimizers.size() != n || modelUpdates.length != n || stepsSinceFired.length != n) {
            throw new IllegalArgumentException("training state for " + n + " models has " + optimizers.size()
                    + " optimisers, " + modelUpdates.length + " update counts and " + stepsSinceFired.length + " counter sets");
        }
        if (globalStep < 0) {
            throw new IllegalArgumentException("global step must be >= 0, got " + globalStep);
        }
        for (int i = 0; i < n; i++) {
            ModelParameters p = params.model(i);
            Map<String, AdamW> opt = optimizers.get(i);
            if (!opt.keySet().equals(p.trainable().keySet())) {
                throw new IllegalArgumentException("model '" + p.name() + "' has optimiser state for " + opt.keySet()
                        + ", expected " + p.trainable().keySet());
            }
            for (Map.Entry<String, AdamW> e : opt.entrySet()) {
                if (e.getValue().firstMoment().length != p.get(e.getKey()).length
                        || e.getValue().secondMoment().length != p.get(e.getKey()).length) {
                    throw new IllegalArgumentException("model '" + p.name() + "' optimiser state of '" + e.getKey()
                            + "' has the wrong size");
                }
                s.optimizers.get(i).put(e.getKey(), e.getValue());
            }
            if (stepsSinceFired[i].length != params.architecture().numLatents()) {
                throw new IllegalArgumentException("model '" + p.name() + "' has " + stepsSinceFired[i].length
                        + " dead-latent counters, expected " + params.architecture().numLatents());
            }
            s.stepsSinceFired[i] = stepsSinceFired[i];
            s.modelUpdates[i] = modelUpdates[i];
        }
        s.globalStep = globalStep;
        return s;
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
