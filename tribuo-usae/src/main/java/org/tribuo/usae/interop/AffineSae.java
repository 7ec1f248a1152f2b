package org.tribuo.usae.interop;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * One SAELens or sparsify folder as an affine TopK SAE on raw activations: {@code pre = (x - preBias) W^T + b},
 * TopK of ReLU, {@code x_hat = z @ dictionary + preBias} (the pre-bias is the decoder bias).
 *
 * @param dim           d.
 * @param numLatents    m.
 * @param k             TopK's k.
 * @param encoderWeight {@code [m x d]}.
 * @param encoderBias   {@code [m]}.
 * @param preBias       {@code [d]}, the decoder bias too.
 * @param dictionary    {@code [m x d]}, decoder rows as used.
 * @param weights       the weights file read.
 */
record AffineSae(int dim, int numLatents, int k, float[] encoderWeight, float[] encoderBias, float[] preBias,
                 float[] dictionary, Path weights) {

    /** SAELens's {@code TopKSAE}: {@code sae_in = x - b_dec * apply_b_dec_to_input}. */
    static AffineSae saeLens(Path folder) {
        Path cfgFile = folder.resolve(SaeLensExport.CONFIG);
        JsonNode cfg = Json.read(cfgFile, DictionaryImport.MAX_JSON_BYTES);
        String where = cfgFile.toString();
        String arch = Json.text(cfg, "architecture", where);
        if (!arch.equals("topk")) {
            throw new IllegalArgumentException(where + ": architecture '" + arch + "' is not read; usae import reads "
                    + "SAELens 'topk' SAEs (a USAE's per-model TopK)");
        }
        for (String field : new String[]{"normalize_activations", "reshape_activations"}) {
            String v = Json.text(cfg, field, "none", where);
            if (!v.equals("none")) {
                throw new IllegalArgumentException(where + ": " + field + " is '" + v + "'; only 'none' is read (the "
                        + "SAE must take the activations as they are)");
            }
        }
        int d = ArchitectureJson.integer(cfg, "d_in", where);
        int m = ArchitectureJson.integer(cfg, "d_sae", where);
        int k = ArchitectureJson.integer(cfg, "k", where);
        boolean applyBDec = Json.bool(cfg, "apply_b_dec_to_input", true, where);
        boolean rescale = Json.bool(cfg, "rescale_acts_by_decoder_norm", false, where);
        Path weights = folder.resolve(SaeLensExport.WEIGHTS);
        SafetensorsFile st = SafetensorsFile.open(weights);
        requireTensors(st, Set.of("W_enc", "b_enc", "W_dec", "b_dec"));
        float[] wEnc = st.floats("W_enc", d, m);
        float[] bEnc = st.floats("b_enc", m);
        float[] wDec = st.floats("W_dec", m, d);
        float[] bDec = st.floats("b_dec", d);
        float[] weight = new float[m * d];
        float[] bias = new float[m];
        float[] dict = new float[m * d];
        for (int j = 0; j < m; j++) {
            // rescale_acts_by_decoder_norm: pre_j * ||W_dec_j|| selects, z_j / ||W_dec_j|| decodes
            double norm = 1;
            if (rescale) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += (double) wDec[j * d + c] * wDec[j * d + c];
                }
                norm = Math.sqrt(s);
            }
            double b = bEnc[j];
            for (int c = 0; c < d; c++) {
                weight[j * d + c] = (float) (norm * wEnc[c * m + j]);
                if (!applyBDec) {
                    b += (double) bDec[c] * wEnc[c * m + j];
                }
                dict[j * d + c] = (float) (wDec[j * d + c] / norm);
            }
            bias[j] = (float) (norm * b);
        }
        return new AffineSae(d, m, k, weight, bias, bDec, dict, weights);
    }

    /** sparsify's {@code SparseCoder}: {@code x - b_dec}, ReLU then TopK, {@code z W_dec + b_dec}. */
    static AffineSae sparsify(Path folder) {
        Path cfgFile = folder.resolve("cfg.json");
        JsonNode cfg = Json.read(cfgFile, DictionaryImport.MAX_JSON_BYTES);
        String where = cfgFile.toString();
        String activation = Json.text(cfg, "activation", "topk", where);
        if (!activation.equals("topk")) {
            throw new IllegalArgumentException(where + ": activation '" + activation + "' is not read; usae import "
                    + "reads sparsify 'topk' SAEs");
        }
        if (Json.bool(cfg, "transcode", false, where) || Json.bool(cfg, "skip_connection", false, where)) {
            throw new IllegalArgumentException(where + ": a transcoder or skip connection is not an SAE of the "
                    + "activations; usae import reads plain sparsify SAEs");
        }
        int d = ArchitectureJson.integer(cfg, "d_in", where);
        int m = Json.integer(cfg, "num_latents", 0, where);
        if (m == 0) {
            m = Math.multiplyExact(d, Json.integer(cfg, "expansion_factor", 32, where));
        }
        int k = Json.integer(cfg, "k", 32, where);
        Path weights = folder.resolve("sae.safetensors");
        SafetensorsFile st = SafetensorsFile.open(weights);
        requireTensors(st, Set.of("encoder.weight", "encoder.bias", "W_dec", "b_dec"));
        return new AffineSae(d, m, k, st.floats("encoder.weight", m, d), st.floats("encoder.bias", m),
                st.floats("b_dec", d), st.floats("W_dec", m, d), weights);
    }

    private static void requireTensors(SafetensorsFile st, Set<String> expected) {
        Set<String> extra = new TreeSet<>(st.tensors().keySet());
        extra.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(st.tensors().keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException(st.file() + ": expected the tensors " + new TreeSet<>(expected)
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra));
        }
    }
}
