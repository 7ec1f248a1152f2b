package org.tribuo.usae.sae;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Every model's parameters plus the shared architecture. Engines read it; the trainer's optimiser
 * writes it; models and checkpoints serialise it. Model order is fixed and is the model index used
 * everywhere (sources, batches, R2 matrices).
 */
public final class UsaeParameters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Architecture architecture;
    private final List<ModelParameters> models;

    /**
     * @param architecture the shared architecture.
     * @param models per-model parameters in model-index order; names must be unique.
     */
    public UsaeParameters(Architecture architecture, List<ModelParameters> models) {
        this.architecture = Objects.requireNonNull(architecture);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("A USAE needs at least one model");
        }
        for (int i = 0; i < models.size(); i++) {
            ModelParameters p = models.get(i);
            if (p.numLatents() != architecture.numLatents()) {
                throw new IllegalArgumentException("Model '" + p.name() + "' has " + p.numLatents()
                        + " latents, architecture says " + architecture.numLatents());
            }
            for (int j = 0; j < i; j++) {
                if (models.get(j).name().equals(p.name())) {
                    throw new IllegalArgumentException("Duplicate model name '" + p.name() + "'");
                }
            }
        }
        this.models = Collections.unmodifiableList(new ArrayList<>(models));
    }

    public Architecture architecture() { return architecture; }
    public List<ModelParameters> models() { return models; }
    public int numModels() { return models.size(); }
    public ModelParameters model(int i) { return models.get(i); }

    /** @return the dims of all models, in model order. */
    public int[] dims() {
        return models.stream().mapToInt(ModelParameters::dim).toArray();
    }

    /** @return model names, in model order. */
    public List<String> names() {
        return models.stream().map(ModelParameters::name).toList();
    }

    /**
     * @param name a model name.
     * @return its index.
     * @throws IllegalArgumentException naming the known models when it is unknown.
     */
    public int indexOf(String name) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unknown model '" + name + "', expected one of " + names());
    }

    /** @return a deep copy. */
    public UsaeParameters copy() {
        return new UsaeParameters(architecture, models.stream().map(ModelParameters::copy).toList());
    }
}
