package org.tribuo.usae.interop;

import com.fasterxml.jackson.databind.JsonNode;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import org.tribuo.usae.data.ModelFileProvenance;
import org.tribuo.usae.data.Sha256;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads dictionaries trained by other tools into a {@link UsaeModel} that every command uses like one trained here
 * ({@code eval}, {@code analyze}, {@code report}, {@code visualize}, exports). Each format maps onto the architecture
 * that computes exactly its forward pass:
 * <ul>
 *   <li>official USAE (overcomplete's {@code TopKSAE}, encoder {@code mlp_bn_1}): BATCHNORM encoder, per-model TopK,
 *       row-normalised dictionary, no decoder bias, the FAITHFUL recipe's shape; {@code encoder.final_block.0} is
 *       the Linear layer, {@code encoder.final_block.1} the BatchNorm1d, {@code dictionary._weights} the rows;</li>
 *   <li>SPARC: AFFINE encoders whose pre-bias is the decoder bias, global TopK, unit-norm decoder rows used as
 *       stored; {@code decoders.<s>.weight} {@code [d x m]} is the dictionary transposed;</li>
 *   <li>SAELens TopK ({@code sae_in = x - b_dec * apply_b_dec_to_input}; {@code TopK(sae_in W_enc + b_enc)};
 *       {@code z W_dec + b_dec}) and sparsify ({@code x - b_dec}, ReLU then TopK, {@code z W_dec + b_dec}): AFFINE
 *       encoders with the decoder bias as pre-bias (SAELens without {@code apply_b_dec_to_input} moves
 *       {@code b_dec W_enc} into the encoder bias), per-model TopK, decoder rows as stored;
 *       {@code rescale_acts_by_decoder_norm} is folded into the tensors;</li>
 *   <li>our own SAELens export ({@code usae.json} + {@code usae.safetensors}): the exported model exactly.</li>
 * </ul>
 * A model's standardisation {@code (x - mu) / (sigma + 1e-5)} comes from the caller (the official code standardises
 * with each model's mean and std; SAELens and sparsify take raw activations: {@link Standardization#NONE}).
 * The model's provenance records the format and every file read, with its size and SHA-256
 * ({@link ImportSourceProvenance}); there was no trainer ({@code EmptyTrainerProvenance}).
 */
public final class DictionaryImport {
    /** The largest cfg.json / usae.json read. */
    static final long MAX_JSON_BYTES = 4 << 20;

    private DictionaryImport() {
    }

    /**
     * One model's source.
     * @param model the model's name in the USAE.
     * @param path  its checkpoint file or folder.
     */
    public record Source(String model, Path path) {
    }

    /**
     * A model's scalar standardisation, {@code (x - mu) / (sigma + 1e-5)}.
     * @param mu    the mean.
     * @param sigma the standard deviation.
     */
    public record Standardization(double mu, double sigma) {
        /** No standardisation: {@code sigma + 1e-5 = 1}. */
        public static final Standardization NONE = new Standardization(0, 1 - ModelParameters.STANDARDIZE_EPS);

        public Standardization {
            if (!Double.isFinite(mu) || !Double.isFinite(sigma) || sigma < 0) {
                throw new IllegalArgumentException("A standardisation needs a finite mean and std >= 0, got " + mu + ", " + sigma);
            }
        }
    }

    // ------------------------------------------------------------------ official USAE

    private static final String LINEAR = "encoder.final_block.0.";
    private static final String BN = "encoder.final_block.1.";
    private static final String DICT = "dictionary._weights";
    private static final Set<String> OFFICIAL_KEYS = Set.of(LINEAR + "weight", LINEAR + "bias", BN + "weight", BN + "bias",
            BN + "running_mean", BN + "running_var", BN + "num_batches_tracked", DICT);

    /**
     * @param checkpoints one {@code uni_<Model>_checkpoint_<epoch>.pth} per model, in model order.
     * @param k           the TopK the models were trained with (the config's {@code sae_params.top_k}).
     * @param standardization per model name, its {@code model_mean} and {@code model_std} (or {@link Standardization#NONE}
     *                    when the config has {@code standardize: false}); every model needs one.
     * @return the model.
     */
    public static UsaeModel officialUsae(List<Source> checkpoints, int k, Map<String, Standardization> standardization) {
        requireSources(checkpoints);
        List<ModelParameters> models = new ArrayList<>();
        List<ModelFileProvenance> files = new ArrayList<>();
        int m = -1;
        for (Source s : checkpoints) {
            Standardization std = requireStandardization(standardization, s.model(), "the official config's model_mean "
                    + "and model_std");
            Map<String, TorchTensor> sd = TorchCheckpoint.stateDict(TorchCheckpoint.read(s.path()), "model_state_dict", s.path());
            requireKeys(sd, OFFICIAL_KEYS, s.path(), "an official TopKSAE with encoder_module mlp_bn_1");
            long[] shape = sd.get(LINEAR + "weight").shape();
            if (shape.length != 2) {
                throw new IllegalArgumentException(s.path() + ": " + LINEAR + "weight has shape "
                        + java.util.Arrays.toString(shape) + ", expected [m, d]");
            }
            int mi = Math.toIntExact(shape[0]);
            int d = Math.toIntExact(shape[1]);
            m = sameLatents(m, mi, s.path());
            Architecture arch = officialArchitecture(m, k);
            ModelParameters p = new ModelParameters(s.model(), d, arch);
            copy(sd, LINEAR + "weight", p.encoderWeight(), s.path(), mi, d);
            copy(sd, LINEAR + "bias", p.encoderBias(), s.path(), mi);
            copy(sd, BN + "weight", p.bnWeight(), s.path(), mi);
            copy(sd, BN + "bias", p.bnBias(), s.path(), mi);
            copy(sd, BN + "running_mean", p.bnRunningMean(), s.path(), mi);
            copy(sd, BN + "running_var", p.bnRunningVar(), s.path(), mi);
            copy(sd, DICT, p.dictionary(), s.path(), mi, d);
            TorchTensor tracked = sd.get(BN + "num_batches_tracked");
            if (tracked.longs() == null || tracked.numel() != 1) {
                throw new IllegalArgumentException(s.path() + ": " + BN + "num_batches_tracked is not one integer");
            }
            p.setBnBatchesTracked(tracked.longs()[0]);
            p.setStandardization(std.mu(), std.sigma());
            models.add(p);
            files.add(fileProvenance(s.model(), s.path(), "torch", mi, d));
        }
        return build(ImportFormat.OFFICIAL_USAE, officialArchitecture(m, k), models, files);
    }

    private static Architecture officialArchitecture(int m, int k) {
        return new Architecture(m, requireK(k, m), EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
    }

    // ------------------------------------------------------------------ SPARC

    /**
     * @param stateDict       {@code torch.save(model.state_dict())} of SPARC's {@code MultiStreamSparseAutoencoder}
     *                        (model_global: global TopK).
     * @param k               SPARC's k.
     * @param standardization per stream, or absent for {@link Standardization#NONE} (SPARC's model takes its inputs as
     *                        they are).
     * @return the model, its models named after SPARC's streams in the state_dict's order.
     */
    public static UsaeModel sparc(Path stateDict, int k, Map<String, Standardization> standardization) {
        Map<String, TorchTensor> sd = TorchCheckpoint.stateDict(TorchCheckpoint.read(stateDict), null, stateDict);
        List<String> streams = new ArrayList<>();
        for (String key : sd.keySet()) {
            if (key.startsWith("encoders.") && key.endsWith(".weight")) {
                streams.add(key.substring("encoders.".length(), key.length() - ".weight".length()));
            }
        }
        if (streams.isEmpty()) {
            throw new IllegalArgumentException(stateDict + ": no encoders.<stream>.weight; expected the state_dict of "
                    + "SPARC's MultiStreamSparseAutoencoder (its keys: " + sd.keySet() + ")");
        }
        Set<String> expected = new TreeSet<>();
        for (String s : streams) {
            expected.addAll(List.of("encoders." + s + ".weight", "decoders." + s + ".weight", "pre_biases." + s,
                    "latent_biases." + s, "stats_last_nonzero_" + s));
        }
        requireKeys(sd, expected, stateDict, "SPARC's MultiStreamSparseAutoencoder");
        for (String key : standardization.keySet()) {
            if (!streams.contains(key)) {
                throw new IllegalArgumentException(stateDict + ": a standardisation is given for '" + key
                        + "', which is not one of its streams " + streams);
            }
        }
        int m = -1;
        List<ModelParameters> models = new ArrayList<>();
        List<ModelFileProvenance> files = new ArrayList<>();
        for (String s : streams) {
            long[] shape = sd.get("encoders." + s + ".weight").shape();
            if (shape.length != 2) {
                throw new IllegalArgumentException(stateDict + ": encoders." + s + ".weight is not [m, d]");
            }
            int mi = Math.toIntExact(shape[0]);
            int d = Math.toIntExact(shape[1]);
            m = sameLatents(m, mi, stateDict);
            ModelParameters p = new ModelParameters(s, d, sparcArchitecture(m, k));
            copy(sd, "encoders." + s + ".weight", p.encoderWeight(), stateDict, mi, d);
            copy(sd, "latent_biases." + s, p.encoderBias(), stateDict, mi);
            copy(sd, "pre_biases." + s, p.inputBias(), stateDict, d);
            float[] dec = new float[mi * d];
            copy(sd, "decoders." + s + ".weight", dec, stateDict, d, mi);
            transpose(dec, d, mi, p.dictionary());
            Standardization std = standardization.getOrDefault(s, Standardization.NONE);
            p.setStandardization(std.mu(), std.sigma());
            models.add(p);
            files.add(fileProvenance(s, stateDict, "torch", mi, d));
        }
        return build(ImportFormat.SPARC, sparcArchitecture(m, k), models, files);
    }

    private static Architecture sparcArchitecture(int m, int k) {
        return new Architecture(m, requireK(k, m), EncoderKind.AFFINE, SparsityKind.GLOBAL_TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED);
    }

    // ------------------------------------------------------------------ SAELens and sparsify

    /**
     * Several SAELens TopK folders whose latent j is the same concept (e.g. folders written by
     * {@link SaeLensExport}, or SAEs trained to share an index). A folder holding our manifest ({@code usae.json})
     * is read by {@link #saeLensExport} instead.
     * @param folders one folder per model, in model order.
     * @return the model: per-model TopK on raw activations.
     */
    public static UsaeModel saeLens(List<Source> folders) {
        return affineFolders(ImportFormat.SAELENS, folders);
    }

    /**
     * @param folders one sparsify folder ({@code cfg.json} + {@code sae.safetensors}) per model, in model order.
     * @return the model: per-model TopK on raw activations.
     */
    public static UsaeModel sparsify(List<Source> folders) {
        return affineFolders(ImportFormat.SPARSIFY, folders);
    }

    private static UsaeModel affineFolders(ImportFormat format, List<Source> folders) {
        requireSources(folders);
        List<AffineSae> saes = new ArrayList<>();
        for (Source s : folders) {
            saes.add(format == ImportFormat.SAELENS ? AffineSae.saeLens(s.path()) : AffineSae.sparsify(s.path()));
        }
        int m = saes.get(0).numLatents();
        int k = saes.get(0).k();
        for (int i = 1; i < saes.size(); i++) {
            if (saes.get(i).numLatents() != m || saes.get(i).k() != k) {
                throw new IllegalArgumentException(folders.get(i).path() + ": d_sae " + saes.get(i).numLatents() + " and k "
                        + saes.get(i).k() + " differ from " + folders.get(0).path() + "'s (" + m + ", " + k
                        + "); folders sharing one latent index need the same");
            }
        }
        Architecture arch = new Architecture(m, requireK(k, m), EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED);
        List<ModelParameters> models = new ArrayList<>();
        List<ModelFileProvenance> files = new ArrayList<>();
        for (int i = 0; i < saes.size(); i++) {
            AffineSae sae = saes.get(i);
            ModelParameters p = new ModelParameters(folders.get(i).model(), sae.dim(), arch);
            System.arraycopy(sae.encoderWeight(), 0, p.encoderWeight(), 0, sae.encoderWeight().length);
            System.arraycopy(sae.encoderBias(), 0, p.encoderBias(), 0, m);
            System.arraycopy(sae.preBias(), 0, p.inputBias(), 0, sae.dim());
            System.arraycopy(sae.dictionary(), 0, p.dictionary(), 0, sae.dictionary().length);
            p.setStandardization(Standardization.NONE.mu(), Standardization.NONE.sigma());
            models.add(p);
            files.add(fileProvenance(folders.get(i).model(), sae.weights(), "safetensors", m, sae.dim()));
        }
        return build(format, arch, models, files);
    }

    /**
     * Our own SAELens export, exactly: the manifest's architecture, models and standardisation, and the unfolded
     * tensors of {@link SaeLensExport#PARAMETERS}.
     * @param root the export's folder (holding {@link SaeLensExport#MANIFEST}).
     * @return the model the export was written from (same parameters, bit for bit).
     */
    public static UsaeModel saeLensExport(Path root) {
        Path manifestFile = root.resolve(SaeLensExport.MANIFEST);
        JsonNode manifest = Json.read(manifestFile, MAX_JSON_BYTES);
        String where = manifestFile.toString();
        if (!SaeLensExport.FORMAT.equals(Json.text(manifest, "format", where))) {
            throw new IllegalArgumentException(where + ": format is '" + manifest.get("format") + "', expected '"
                    + SaeLensExport.FORMAT + "'");
        }
        Architecture arch = ArchitectureJson.read(manifest.get("architecture"), where);
        JsonNode list = manifest.get("models");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'models' must be a non-empty array");
        }
        Path paramsFile = root.resolve(Json.text(manifest, "parameters", where));
        if (!paramsFile.normalize().startsWith(root.normalize()) || !paramsFile.getFileName().toString().equals(SaeLensExport.PARAMETERS)) {
            throw new IllegalArgumentException(where + ": 'parameters' must name " + SaeLensExport.PARAMETERS + " in the export's folder");
        }
        SafetensorsFile st = SafetensorsFile.open(paramsFile);
        Set<String> unread = new TreeSet<>(st.tensors().keySet());
        List<ModelParameters> models = new ArrayList<>();
        List<ModelFileProvenance> files = new ArrayList<>();
        for (JsonNode node : list) {
            String name = Json.text(node, "name", where);
            int d = ArchitectureJson.integer(node, "d_in", where);
            ModelParameters p = new ModelParameters(name, d, arch);
            for (Map<String, float[]> group : List.of(p.trainable(), p.buffers())) {
                for (Map.Entry<String, float[]> e : group.entrySet()) {
                    String key = name + "/" + e.getKey();
                    float[] v = st.floats(key, ModelParameters.shapeOf(e.getKey(), arch.numLatents(), d));
                    System.arraycopy(v, 0, e.getValue(), 0, v.length);
                    unread.remove(key);
                }
            }
            p.setStandardization(Json.number(node, "mu", where), Json.number(node, "sigma", where));
            JsonNode tracked = node.get("bnBatchesTracked");
            p.setBnBatchesTracked(tracked != null && tracked.canConvertToLong() ? tracked.longValue() : 0);
            models.add(p);
            files.add(fileProvenance(name, paramsFile, "safetensors", arch.numLatents(), d));
        }
        if (!unread.isEmpty()) {
            throw new IllegalArgumentException(paramsFile + ": holds tensors no model of " + where + " has: " + unread);
        }
        return build(ImportFormat.SAELENS, arch, models, files);
    }

    // ------------------------------------------------------------------ shared

    private static UsaeModel build(ImportFormat format, Architecture arch, List<ModelParameters> models,
                                   List<ModelFileProvenance> files) {
        UsaeParameters params = new UsaeParameters(arch, models);
        int width = 0;
        for (ModelParameters p : models) {
            width += p.dim();
        }
        ImportSourceProvenance source = new ImportSourceProvenance(format.id(), files);
        ModelProvenance provenance = new ModelProvenance(UsaeModel.class.getName(), OffsetDateTime.now(),
                new ImportedDatasetProvenance(source, width), new EmptyTrainerProvenance());
        return UsaeModel.create("imported-" + format.id(), provenance, params);
    }

    static ModelFileProvenance fileProvenance(String model, Path file, String kind, int m, int d) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        return new ModelFileProvenance(model, file.toAbsolutePath().toString(), bytes, kind, m, d, Sha256.ofFile(file));
    }

    private static void requireSources(List<Source> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("Nothing to import: give at least one model's file or folder");
        }
        Set<String> names = new TreeSet<>();
        for (Source s : sources) {
            if (!names.add(s.model())) {
                throw new IllegalArgumentException("Model name '" + s.model() + "' is given twice");
            }
        }
    }

    private static Standardization requireStandardization(Map<String, Standardization> map, String model, String what) {
        Standardization s = map.get(model);
        if (s == null) {
            throw new IllegalArgumentException("Model '" + model + "' has no standardisation: give its mean and std ("
                    + what + "), or 'none' if it was trained on raw activations");
        }
        return s;
    }

    private static int requireK(int k, int m) {
        if (k < 1 || k > m) {
            throw new IllegalArgumentException("k must be in [1, " + m + "] (the dictionary's latents), got " + k
                    + "; give the k the dictionary was trained with");
        }
        return k;
    }

    private static int sameLatents(int m, int mi, Path file) {
        if (m >= 0 && m != mi) {
            throw new IllegalArgumentException(file + ": has " + mi + " latents where the models before have " + m
                    + "; a USAE's models share one dictionary size");
        }
        return mi;
    }

    private static void requireKeys(Map<String, TorchTensor> sd, Set<String> expected, Path file, String what) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(sd.keySet());
        Set<String> extra = new TreeSet<>(sd.keySet());
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException(file + " is not " + what + ": " + (missing.isEmpty() ? "" : "missing "
                    + missing + (extra.isEmpty() ? "" : ", ")) + (extra.isEmpty() ? "" : "unexpected " + extra));
        }
    }

    private static void copy(Map<String, TorchTensor> sd, String key, float[] into, Path file, long... shape) {
        TorchTensor t = sd.get(key);
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(file + ": " + key + " has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
        if (t.floats() == null) {
            throw new IllegalArgumentException(file + ": " + key + " is " + t.dtype() + ", expected floating point");
        }
        System.arraycopy(t.floats(), 0, into, 0, into.length);
    }

    static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
    }
}
