package org.tribuo.usae.features;

import org.tribuo.usae.metrics.labels.Pooling;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.protos.ConceptFeatureModelProto;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Tribuo model over concept features: each example is encoded by the USAE ({@link ConceptEncoder}) and then given to
 * the inner model, which was trained on concept features. It is what {@link ConceptFeatureTrainer} returns, as Tribuo's
 * {@code TransformedModel} is what its {@code TransformTrainer} returns; the model file holds the inner model and the
 * USAE together.
 *
 * @param <T> the output type.
 */
public final class ConceptFeatureModel<T extends Output<T>> extends Model<T> {
    private static final long serialVersionUID = 1L;
    /** The protobuf format version written. */
    public static final int CURRENT_VERSION = 0;

    private final Model<T> inner;
    private final ConceptEncoder encoder;

    ConceptFeatureModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureMap,
                        ImmutableOutputInfo<T> outputInfo, Model<T> inner, ConceptEncoder encoder) {
        super(name, provenance, featureMap, outputInfo, inner.generatesProbabilities());
        this.inner = inner;
        this.encoder = encoder;
    }

    /** @return the model trained on concept features (it expects encoded examples). */
    public Model<T> innerModel() {
        return inner;
    }

    /** @return the encoder applied to every example first. */
    public ConceptEncoder encoder() {
        return encoder;
    }

    @Override
    public Prediction<T> predict(Example<T> example) {
        return inner.predict(encoder.encode(example));
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return inner.getTopFeatures(n);
    }

    @Override
    public Optional<Excuse<T>> getExcuse(Example<T> example) {
        return inner.getExcuse(encoder.encode(example));
    }

    @Override
    protected ConceptFeatureModel<T> copy(String newName, ModelProvenance newProvenance) {
        return new ConceptFeatureModel<>(newName, newProvenance, featureIDMap, outputIDInfo, inner, encoder);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<T> carrier = createDataCarrier();
        ConceptFeatureModelProto proto = ConceptFeatureModelProto.newBuilder().setMetadata(carrier.serialize())
                .setInner(inner.serialize()).setUsae(encoder.usae().serialize()).setSourceModel(encoder.modelName())
                .setPooling(encoder.pooling().name()).build();
        return ModelProto.newBuilder().setClassName(ConceptFeatureModel.class.getName()).setVersion(CURRENT_VERSION)
                .setSerializedData(Any.pack(proto)).build();
    }

    /**
     * Tribuo's reflective protobuf entry point.
     * @param version   the format version.
     * @param className the class name.
     * @param message   the payload.
     * @return the model.
     * @throws InvalidProtocolBufferException when the payload is not a concept-feature model.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ConceptFeatureModel<?> deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + ", this class supports at most version "
                    + CURRENT_VERSION);
        }
        ConceptFeatureModelProto proto = message.unpack(ConceptFeatureModelProto.class);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(proto.getMetadata());
        Model<?> inner = Model.deserialize(proto.getInner());
        if (!(Model.deserialize(proto.getUsae()) instanceof UsaeModel usae)) {
            throw new IllegalStateException("Invalid protobuf: the encoder is not a USAE model");
        }
        ConceptEncoder encoder = new ConceptEncoder(usae, proto.getSourceModel(), Pooling.valueOf(proto.getPooling()));
        return new ConceptFeatureModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo) carrier.outputDomain(), inner, encoder);
    }
}
