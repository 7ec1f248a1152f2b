package org.tribuo.usae.model;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.data.ModelNames;
import org.tribuo.usae.engine.Engine;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.UsaeParameters;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A trained Universal Sparse Autoencoder: per model an encoder and a decoder over one shared
 * dictionary of m concepts. As a Tribuo {@link Model} it maps an example whose features are named
 * {@code <model>:<index>} to that token's sparse concept code; the array API below is the fast path.
 *
 * <p>All methods take RAW activations unless named "standardized"; the model applies each model's
 * stored scalar standardisation {@code (x - mu)/(sigma + 1e-5)} itself.
 */
public final class UsaeModel extends Model<ConceptActivations> {
    private static final long serialVersionUID = 1L;
    /**
     * The model file format version written: 1, whose SHA-256 covers the whole payload (provenance
     * included). Version 0, whose SHA-256 covers only the parameters, is still read.
     */
    public static final int CURRENT_VERSION = ModelPayloads.PAYLOAD_CHECKSUM_VERSION;

    private final UsaeParameters params;
    private transient ThreadLocal<Engine> engines;

    private UsaeModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureMap,
                      ImmutableConceptInfo outputInfo, UsaeParameters params) {
        super(name, provenance, featureMap, outputInfo, false);
        this.params = params;
    }

    /**
     * @param name model name.
     * @param provenance training provenance.
     * @param params trained parameters (owned by the model from now on).
     * @return the model.
     * @throws org.tribuo.usae.data.ActivationSetException when a model name is empty or not file-safe
     *     ({@link ModelNames}): such a model could be written but never read back.
     */
    public static UsaeModel create(String name, ModelProvenance provenance, UsaeParameters params) {
        for (int i = 0; i < params.numModels(); i++) {
            ModelNames.require(params.model(i).name(), "cannot create a USAE model: model #" + i);
        }
        return new UsaeModel(name, provenance, featureMap(params), ImmutableConceptInfo.ofLatents(
                params.architecture().numLatents()), params);
    }

    /** Features {@code <model>:<index>} for every model and index, as the Tribuo interop names them. */
    private static ImmutableFeatureMap featureMap(UsaeParameters params) {
        MutableFeatureMap fm = new MutableFeatureMap();
        for (ModelParameters p : params.models()) {
            for (int c = 0; c < p.dim(); c++) {
                fm.add(featureName(p.name(), c), 0.0);
            }
        }
        return new ImmutableFeatureMap(fm);
    }

    /** @param model model name. @param index dimension. @return the Tribuo feature name. */
    public static String featureName(String model, int index) {
        return model + ":" + index;
    }

    /** @return the parameters (live: do not modify). */
    public UsaeParameters parameters() { return params; }

    /** @return model names in model order. */
    public List<String> modelNames() { return params.names(); }

    /** @param name a model name. @return its index (clear error naming the known models otherwise). */
    public int indexOf(String name) { return params.indexOf(name); }

    private synchronized Engine engine() {
        if (engines == null) {
            engines = ThreadLocal.withInitial(EngineKind.CPU::create);
        }
        return engines.get();
    }

    /**
     * @param model model index.
     * @param raw {@code [rows x d_model]} raw activations (not modified).
     * @return standardised copy.
     */
    public float[] standardize(int model, float[] raw) {
        ModelParameters p = params.model(model);
        float[] x = raw.clone();
        float mu = (float) p.mu();
        float inv = (float) (1.0 / (p.sigma() + ModelParameters.STANDARDIZE_EPS));
        for (int q = 0; q < x.length; q++) {
            x[q] = (x[q] - mu) * inv;
        }
        return x;
    }

    /**
     * @param raw per model (model order) {@code [rows x d_i]} raw activations of the same tokens (not modified).
     * @return per model, the standardised copy ({@link #standardize}).
     */
    public float[][] standardizeAll(float[][] raw) {
        float[][] x = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            x[i] = standardize(i, raw[i]);
        }
        return x;
    }

    /**
     * Encodes raw activations of one model (eval mode).
     * @param model model index.
     * @param raw {@code [rows x d_model]} raw activations.
     * @param rows rows.
     * @return codes {@code [rows x k]}.
     */
    public SparseCodes encode(int model, float[] raw, int rows) {
        checkRows(model, raw, rows);
        return engine().encode(params, model, standardize(model, raw), rows);
    }

    /**
     * Encodes every model's raw rows of the same tokens; with global TopK the indices are shared.
     * @param raw per model {@code [rows x d_i]}.
     * @param rows rows.
     * @return per-model codes.
     */
    public SparseCodes[] encodeJoint(float[][] raw, int rows) {
        for (int i = 0; i < raw.length; i++) {
            checkRows(i, raw[i], rows);
        }
        return engine().encodeJoint(params, new Batch(new long[rows], standardizeAll(raw), params.dims()));
    }

    /**
     * Decodes codes into a target model's STANDARDISED space.
     * @param codes codes.
     * @param target target model index.
     * @return {@code [rows x d_target]}.
     */
    public float[] decodeStandardized(SparseCodes codes, int target) {
        float[] out = new float[codes.rows() * params.model(target).dim()];
        engine().decode(params, codes, target, out);
        return out;
    }

    /**
     * Decodes codes into a target model's raw activation space.
     * @param codes codes.
     * @param target target model index.
     * @return {@code [rows x d_target]} raw-unit reconstruction.
     */
    public float[] decode(SparseCodes codes, int target) {
        float[] out = decodeStandardized(codes, target);
        ModelParameters p = params.model(target);
        float mu = (float) p.mu();
        float scale = (float) (p.sigma() + ModelParameters.STANDARDIZE_EPS);
        for (int q = 0; q < out.length; q++) {
            out[q] = out[q] * scale + mu;
        }
        return out;
    }

    /**
     * Cross-reconstruction: encode with the source model, decode with the target's decoder.
     * @param source source model index.
     * @param target target model index.
     * @param raw {@code [rows x d_source]} raw source activations.
     * @param rows rows.
     * @return {@code [rows x d_target]} raw-unit reconstruction of the target model's activations.
     */
    public float[] crossReconstruct(int source, int target, float[] raw, int rows) {
        return decode(encode(source, raw, rows), target);
    }

    private void checkRows(int model, float[] raw, int rows) {
        int d = params.model(model).dim();
        if (raw.length != (long) rows * d) {
            throw new IllegalArgumentException("Model '" + params.model(model).name() + "' expects [rows x " + d
                    + "] = " + (long) rows * d + " values for " + rows + " rows, got " + raw.length);
        }
    }

    /**
     * Encodes the example with the FIRST model (in model order) that has features in it; absent
     * features of that model are 0.
     */
    @Override
    public Prediction<ConceptActivations> predict(Example<ConceptActivations> example) {
        int numModels = params.numModels();
        float[][] rows = new float[numModels][];
        boolean[] present = new boolean[numModels];
        for (Feature f : example) {
            String name = f.getName();
            int colon = name.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            int model;
            try {
                model = params.indexOf(name.substring(0, colon));
            } catch (IllegalArgumentException e) {
                continue;
            }
            int idx;
            try {
                idx = Integer.parseInt(name.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            int d = params.model(model).dim();
            if (idx < 0 || idx >= d) {
                continue;
            }
            if (rows[model] == null) {
                rows[model] = new float[d];
            }
            rows[model][idx] = (float) f.getValue();
            present[model] = true;
        }
        for (int i = 0; i < numModels; i++) {
            if (present[i]) {
                SparseCodes codes = encode(i, rows[i], 1);
                return new Prediction<>(ConceptActivations.fromRow(codes, 0), 0, example);
            }
        }
        throw new IllegalArgumentException("The example has no feature named <model>:<index> for models "
                + params.names() + "; cannot encode it");
    }

    /**
     * For each concept, the features with the largest absolute decoder weight across all models.
     * Keys are {@code concept-<id>}; with n &lt; 0 all features are listed.
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        int m = params.architecture().numLatents();
        int total = params.models().stream().mapToInt(ModelParameters::dim).sum();
        int limit = n < 0 ? total : n;
        Map<String, List<Pair<String, Double>>> out = new HashMap<>();
        List<float[]> decoders = params.models().stream().map(ModelParameters::normalizedDictionary).toList();
        Comparator<Pair<String, Double>> byMagnitude = Comparator.comparingDouble(p -> Math.abs(p.getB()));
        for (int j = 0; j < m; j++) {
            PriorityQueue<Pair<String, Double>> heap = new PriorityQueue<>(byMagnitude);
            for (int i = 0; i < params.numModels(); i++) {
                ModelParameters p = params.model(i);
                for (int c = 0; c < p.dim(); c++) {
                    heap.add(new Pair<>(featureName(p.name(), c), (double) decoders.get(i)[j * p.dim() + c]));
                    if (heap.size() > limit) {
                        heap.poll();
                    }
                }
            }
            List<Pair<String, Double>> list = new ArrayList<>(heap);
            list.sort(byMagnitude.reversed());
            out.put("concept-" + j, list);
        }
        return out;
    }

    @Override
    public Optional<org.tribuo.Excuse<ConceptActivations>> getExcuse(Example<ConceptActivations> example) {
        return Optional.empty();
    }

    @Override
    protected UsaeModel copy(String newName, ModelProvenance newProvenance) {
        return new UsaeModel(newName, newProvenance, featureIDMap, (ImmutableConceptInfo) outputIDInfo, params.copy());
    }

    /**
     * Writes the current format version ({@link #CURRENT_VERSION}): the metadata (name, provenance,
     * domains) and the parameters as stored bytes under one SHA-256, so that an edit anywhere in
     * them, such as a changed seed in the provenance, is refused on load. See
     * {@link #deserializeFromProto} for what the check covers.
     */
    @Override
    public ModelProto serialize() {
        ModelDataCarrier<ConceptActivations> carrier = createDataCarrier();
        return ModelPayloads.writeChecked(UsaeModel.class.getName(), carrier.serialize(),
                ParameterProtos.toProto(params));
    }

    /**
     * Tribuo's reflective protobuf entry point. Reads format version 1 (the SHA-256 covers the class
     * name, version, payload type, metadata with the provenance, and parameters; it is checked on the
     * stored bytes before they are parsed) and version 0 (the SHA-256, where present, covers only the
     * parameters; the provenance of a version-0 file is not protected).
     *
     * <p>The checksum detects changes made after writing (a hex editor, a damaged disk); it is not a
     * signature: a program that rewrites the file and recomputes the hash, or re-encodes it as version
     * 0, is not detected. Unknown fields added to Tribuo's outer {@code ModelProto} or to its
     * {@code Any} are ignored by protobuf and not covered; they change nothing that is loaded.
     *
     * @param version serialised version.
     * @param className class name.
     * @param message payload.
     * @return the model.
     * @throws InvalidProtocolBufferException if the payload is not a USAE model.
     * @throws CorruptModelException if a checksum does not match or the payload is not the version's.
     */
    public static UsaeModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        ModelPayloads.Payload payload = ModelPayloads.read(version, className, message);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(LegacyProvenance.migrate(payload.metadata()));
        if (!carrier.outputDomain().getOutput(0).getClass().equals(ConceptActivations.class)) {
            throw new IllegalStateException("Invalid protobuf: the output domain is not ConceptActivations");
        }
        UsaeParameters params = ParameterProtos.fromProto(payload.parameters());
        if (!(carrier.outputDomain() instanceof ImmutableConceptInfo info)
                || info.numLatents() != params.architecture().numLatents()) {
            throw new IllegalStateException("Invalid protobuf: the output domain does not match the "
                    + params.architecture().numLatents() + " latents of the parameters");
        }
        return new UsaeModel(carrier.name(), carrier.provenance(), carrier.featureDomain(), info, params);
    }

    @Override
    public String toString() {
        return "UsaeModel(name=" + name + ", models=" + params.names() + ", dims="
                + java.util.Arrays.toString(params.dims()) + ", " + params.architecture() + ")";
    }
}
