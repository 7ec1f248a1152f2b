package org.tribuo.usae.features;

import org.tribuo.usae.metrics.labels.Pooling;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;

/**
 * Trains any Tribuo trainer on concept features: the dataset is encoded by a saved USAE ({@link ConceptEncoder}),
 * the inner trainer trains on the result, and the returned {@link ConceptFeatureModel} encodes new examples the same
 * way before predicting. It follows Tribuo's {@code TransformTrainer}, whose per-feature transformations cannot
 * express an encoder that mixes every feature into new ones.
 *
 * <p>The model's provenance holds the whole chain: this trainer's configuration (the inner trainer's, the USAE file,
 * the model and pooling), and as the dataset's source a {@link ConceptFeaturesProvenance} with the encoded dataset's
 * provenance and the USAE's own (its trainer, configuration and training data).
 *
 * @param <T> the output type.
 */
public final class ConceptFeatureTrainer<T extends Output<T>> implements Trainer<T> {
    @Config(mandatory = true, description = "The trainer to run on the concept features.")
    private Trainer<T> innerTrainer;
    @Config(mandatory = true, description = "The USAE model file (model.usae) that encodes the examples.")
    private Path usaeModel;
    @Config(mandatory = true, description = "Which of the USAE's models produced the examples' activations.")
    private String model;
    @Config(description = "How an input's tokens pool: MAX or MEAN.")
    private Pooling pooling = Pooling.MAX;

    private int invocationCount = 0;

    /** For OLCUT. */
    private ConceptFeatureTrainer() {
    }

    /**
     * @param innerTrainer the trainer to run on concept features.
     * @param usaeModel    the USAE model file.
     * @param model        which of its models produced the examples.
     * @param pooling      how tokens pool.
     */
    public ConceptFeatureTrainer(Trainer<T> innerTrainer, Path usaeModel, String model, Pooling pooling) {
        this.innerTrainer = innerTrainer;
        this.usaeModel = usaeModel;
        this.model = model;
        this.pooling = pooling;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (model == null || model.isBlank()) {
            throw new PropertyException("", "model", "names which of the USAE's models produced the examples; got '"
                    + model + "'");
        }
    }

    @Override
    public ConceptFeatureModel<T> train(Dataset<T> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public ConceptFeatureModel<T> train(Dataset<T> examples, Map<String, Provenance> instanceProvenance) {
        return train(examples, instanceProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public ConceptFeatureModel<T> train(Dataset<T> examples, Map<String, Provenance> instanceProvenance,
                                        int invocationCount) {
        UsaeModel usae = ModelFiles.load(usaeModel);
        ConceptEncoder encoder = new ConceptEncoder(usae, model, pooling);
        MutableDataset<T> encoded = encoder.encode(examples);
        TrainerProvenance provenance;
        Model<T> inner;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                this.invocationCount = invocationCount;
            }
            provenance = getProvenance();
            this.invocationCount++;
        }
        inner = innerTrainer.train(encoded, Collections.emptyMap());
        ModelProvenance modelProvenance = new ModelProvenance(ConceptFeatureModel.class.getName(), OffsetDateTime.now(),
                encoded.getProvenance(), provenance, instanceProvenance);
        return new ConceptFeatureModel<>("concept-features:" + inner.getName(), modelProvenance, usae.getFeatureIDMap(),
                inner.getOutputIDInfo(), inner, encoder);
    }

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The invocation count must be >= 0, got " + invocationCount);
        }
        this.invocationCount = invocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "ConceptFeatureTrainer(inner=" + innerTrainer + ", usaeModel=" + usaeModel + ", model=" + model
                + ", pooling=" + pooling + ")";
    }
}
