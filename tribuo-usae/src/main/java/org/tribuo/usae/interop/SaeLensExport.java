package org.tribuo.usae.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.data.ActivationSetProvenance;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.ModelFileProvenance;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.EncoderAffine;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;
import org.tribuo.provenance.ModelProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a USAE as SAELens folders, one per model, that SAELens ({@code SAE.load_from_disk}), SAEBench and
 * Neuronpedia read:
 * <pre>
 * &lt;out&gt;/usae.json                          the manifest: models, shared latent index, cross-decoding rule, provenance
 * &lt;out&gt;/usae.safetensors                   every model's own tensors, unfolded (what {@code usae import} reads back exactly)
 * &lt;out&gt;/&lt;model&gt;/cfg.json                  SAELens's config (architecture "topk" or "jumprelu")
 * &lt;out&gt;/&lt;model&gt;/sae_weights.safetensors   W_enc [d_in x d_sae], b_enc [d_sae], W_dec [d_sae x d_in], b_dec [d_in]
 * </pre>
 * The standardisation {@code (x - mu) / (sigma + 1e-5)}, the encoder's input bias and, for the BatchNorm encoder,
 * eval-mode BatchNorm are folded into {@code W_enc}/{@code b_enc} and {@code W_dec}/{@code b_dec}, so SAELens's
 * forward on RAW activations gives this model's codes and reconstructions ({@link #fold}).
 *
 * <p>SAELens's TopK takes the k largest pre-activations and then applies ReLU; ours takes the k largest of
 * {@code relu(pre)}. The dense codes are the same: when at least k pre-activations are positive both keep the same
 * k; when fewer are, both keep exactly the positive ones (the other selected entries are 0 either way). Only the
 * order of equal values can differ, which changes no code. Latent j is the same concept in every folder, so
 * model i's codes decoded with model j's {@code W_dec}, {@code b_dec} are the cross-reconstruction.
 *
 * <p>Global TopK (SPARC) and hybrid TopK choose a row's latents from every model's pre-activations together; one
 * folder alone cannot do that. Their folders say "topk" with the same k, the manifest says how to combine them,
 * and {@link Result#warnings()} says so. BatchTopK's inference (a per-model threshold, at most
 * {@code maxRowSlots} latents per row) becomes SAELens's "jumprelu" with that threshold on every latent; the row
 * cap and a value exactly at the threshold are the differences, also in the warnings.
 */
public final class SaeLensExport {
    /** The manifest's format name. */
    public static final String FORMAT = "tribuo-usae saelens export 1";
    /** The manifest's file name. */
    public static final String MANIFEST = "usae.json";
    /** The unfolded tensors' file name. */
    public static final String PARAMETERS = "usae.safetensors";
    /** SAELens's weights file name. */
    public static final String WEIGHTS = "sae_weights.safetensors";
    /** SAELens's config file name. */
    public static final String CONFIG = "cfg.json";

    private SaeLensExport() {
    }

    /**
     * What an export wrote.
     * @param manifest the manifest.
     * @param folders  one SAELens folder per model, in model order.
     * @param warnings where a folder's own SAELens forward differs from the USAE's (empty for per-model TopK).
     */
    public record Result(Path manifest, List<Path> folders, List<String> warnings) {
    }

    /**
     * @param model the model.
     * @param out   the output folder (created; existing files of the same names are replaced).
     * @return what was written.
     */
    public static Result write(UsaeModel model, Path out) {
        OutputPaths.requireWritableFolder("output", out);
        UsaeParameters params = model.parameters();
        Architecture arch = params.architecture();
        List<String> warnings = warnings(arch);
        ObjectMapper mapper = new ObjectMapper();
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < params.numModels(); i++) {
            ModelParameters p = params.model(i);
            Path dir = out.resolve(p.name());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create " + dir + ": " + e.getMessage(), e);
            }
            SaeLensWeights w = fold(params, i);
            SafetensorsWriter st = new SafetensorsWriter()
                    .putFloats("W_enc", w.wEnc(), w.dIn(), w.dSae())
                    .putFloats("b_enc", w.bEnc(), w.dSae())
                    .putFloats("W_dec", w.wDec(), w.dSae(), w.dIn())
                    .putFloats("b_dec", w.bDec(), w.dIn());
            if (w.threshold() != null) {
                st.putFloats("threshold", w.threshold(), w.dSae());
            }
            st.write(dir.resolve(WEIGHTS));
            AtomicFiles.writeString(dir.resolve(CONFIG), json(mapper, config(mapper, model, p, i)));
            folders.add(dir);
        }
        writeParameters(params, out.resolve(PARAMETERS));
        Path manifest = out.resolve(MANIFEST);
        AtomicFiles.writeString(manifest, json(mapper, manifest(mapper, model, warnings)));
        return new Result(manifest, List.copyOf(folders), warnings);
    }

    /**
     * Folds one model's standardisation, encoder (eval mode) and decoder into SAELens's tensors on raw
     * activations, in double precision then rounded once to float32.
     * @param params the USAE.
     * @param model  the model's index.
     * @return the tensors.
     */
    public static SaeLensWeights fold(UsaeParameters params, int model) {
        Architecture arch = params.architecture();
        ModelParameters p = params.model(model);
        int m = p.numLatents();
        int d = p.dim();
        double s = p.sigma() + ModelParameters.STANDARDIZE_EPS;
        double a = 1.0 / s;
        double mu = p.mu();
        EncoderAffine enc = arch.encoderBlock().evalAffine(p);
        float[] wEnc = new float[d * m];
        float[] bEnc = new float[m];
        for (int j = 0; j < m; j++) {
            double rowSum = 0;
            for (int c = 0; c < d; c++) {
                double w = enc.weight()[j * d + c];
                wEnc[c * m + j] = (float) (a * w);
                rowSum += w;
            }
            // x_std = a x - a mu, so the constant part of x_std W^T is -a mu (row sum)
            bEnc[j] = (float) (enc.bias()[j] - a * mu * rowSum);
        }
        float[] dict = arch.dictionary().normalization().forwardRows(p.dictionary(), m, d);
        float[] wDec = new float[m * d];
        for (int q = 0; q < wDec.length; q++) {
            wDec[q] = (float) (dict[q] * s);
        }
        float[] bDec = new float[d];
        float[] ib = arch.decoderBias() ? p.inputBias() : null;
        for (int c = 0; c < d; c++) {
            bDec[c] = (float) ((ib == null ? 0.0 : ib[c] * s) + mu);
        }
        float[] threshold = null;
        if (arch.sparsityBlock().inferenceThreshold()) {
            threshold = new float[m];
            java.util.Arrays.fill(threshold, p.get(ModelParameters.INFERENCE_THRESHOLD)[0]);
        }
        return new SaeLensWeights(d, m, wEnc, bEnc, wDec, bDec, threshold);
    }

    /** @return one line per way a folder's own forward differs from the USAE's. */
    static List<String> warnings(Architecture arch) {
        List<String> out = new ArrayList<>();
        if (arch.sparsity().joint()) {
            out.add(arch.sparsity() + " chooses each row's latents from the sum of every model's pre-activations; "
                    + "a folder's own TopK forward gives other codes. Combine the folders as " + MANIFEST
                    + " says (\"encoding\").");
        }
        if (arch.sparsity().rowCap()) {
            out.add("BATCH_TOPK keeps at most maxRowSlots=" + arch.maxRowSlots() + " latents per row and a value equal "
                    + "to the threshold; SAELens's jumprelu keeps every value above the threshold.");
        }
        return out;
    }

    private static ObjectNode config(ObjectMapper mapper, UsaeModel model, ModelParameters p, int index) {
        Architecture arch = model.parameters().architecture();
        ObjectNode cfg = mapper.createObjectNode();
        boolean jump = arch.sparsityBlock().inferenceThreshold();
        cfg.put("architecture", jump ? "jumprelu" : "topk");
        cfg.put("d_in", p.dim());
        cfg.put("d_sae", p.numLatents());
        if (!jump) {
            cfg.put("k", arch.k());
            cfg.put("rescale_acts_by_decoder_norm", false);
        }
        cfg.put("dtype", "float32");
        cfg.put("device", "cpu");
        cfg.put("apply_b_dec_to_input", false);
        cfg.put("normalize_activations", "none");
        cfg.put("reshape_activations", "none");
        ObjectNode meta = cfg.putObject("metadata");
        meta.put("model_name", p.name());
        // an activation set records its models' names, not the layer they were tapped at: the name stands for both
        meta.put("hook_name", p.name());
        meta.put("usae_name", model.getName());
        meta.put("usae_manifest", "../" + MANIFEST);
        meta.put("usae_model_index", index);
        meta.put("usae_sparsity", arch.sparsity().name());
        meta.put("usae_shared_latent_index", true);
        if (model.getProvenance().getDatasetProvenance().getSourceProvenance() instanceof ActivationSetProvenance set) {
            for (ModelFileProvenance f : set.models()) {
                if (f.model().equals(p.name())) {
                    meta.put("usae_activations_file", f.file());
                    meta.put("usae_activations_sha256", f.sha256());
                }
            }
        }
        meta.put("usae_provenance", ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
        return cfg;
    }

    private static ObjectNode manifest(ObjectMapper mapper, UsaeModel model, List<String> warnings) {
        UsaeParameters params = model.parameters();
        Architecture arch = params.architecture();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", model.getName());
        root.put("d_sae", arch.numLatents());
        root.put("k", arch.k());
        root.set("architecture", ArchitectureJson.write(mapper, arch));
        root.put("sharedLatentIndex", "latent j of every folder is the same concept");
        root.put("encoding", encodingText(arch));
        root.put("crossDecoding", "encode with model i's folder (z = its codes), decode with model j's: "
                + "x_j_hat = z @ W_dec_j + b_dec_j");
        root.put("parameters", PARAMETERS);
        ArrayNode models = root.putArray("models");
        for (ModelParameters p : params.models()) {
            ObjectNode node = models.addObject();
            node.put("name", p.name());
            node.put("folder", p.name());
            node.put("d_in", p.dim());
            node.put("mu", p.mu());
            node.put("sigma", p.sigma());
            node.put("bnBatchesTracked", p.bnBatchesTracked());
        }
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        ModelProvenance prov = model.getProvenance();
        root.put("provenance", ProvenanceUtil.formattedProvenanceString(prov));
        return root;
    }

    private static String encodingText(Architecture arch) {
        SparsityKind kind = arch.sparsity();
        return switch (kind) {
            case TOPK -> "per model: z_i = SAELens TopK(k) of x_i @ W_enc_i + b_enc_i (each folder alone)";
            case GLOBAL_TOPK -> "jointly: pre_i = x_i @ W_enc_i + b_enc_i for every model; idx = the k largest of "
                    + "sum_i pre_i per row; z_i = relu(pre_i) at idx, 0 elsewhere (every model's activations of the "
                    + "same token are needed)";
            case HYBRID_TOPK -> "jointly: pre_i = x_i @ W_enc_i + b_enc_i; shared = the " + arch.sharedK()
                    + " largest of sum_i pre_i; idx_i = shared + the " + (arch.k() - arch.sharedK())
                    + " largest of relu(pre_i) among the other latents; z_i = relu(pre_i) at idx_i";
            case BATCH_TOPK -> "per model: z_i = relu(pre_i) where pre_i >= threshold_i, at most maxRowSlots="
                    + arch.maxRowSlots() + " per row (the largest); pre_i = x_i @ W_enc_i + b_enc_i";
        };
    }

    /** Every model's tensors as stored, names {@code <model>/<tensor>}, for a lossless import. */
    private static void writeParameters(UsaeParameters params, Path file) {
        SafetensorsWriter st = new SafetensorsWriter().metadata("format", FORMAT);
        for (ModelParameters p : params.models()) {
            for (Map<String, float[]> group : List.of(p.trainable(), p.buffers())) {
                for (Map.Entry<String, float[]> e : group.entrySet()) {
                    st.putFloats(p.name() + "/" + e.getKey(), e.getValue(),
                            ModelParameters.shapeOf(e.getKey(), p.numLatents(), p.dim()));
                }
            }
        }
        st.write(file);
    }

    private static String json(ObjectMapper mapper, ObjectNode node) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
