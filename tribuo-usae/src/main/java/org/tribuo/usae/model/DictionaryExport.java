package org.tribuo.usae.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a model's encoders and decoders as float32 {@code .npy} files for Python users, one
 * folder per model, plus {@code export.json} describing shapes, standardisation and the forward
 * pass. Vectors are stored as {@code [1 x n]} (use {@code np.load(f)[0]}).
 * <pre>
 * &lt;out&gt;/export.json
 * &lt;out&gt;/&lt;model&gt;/decoder.npy          [m x d]  the dictionary the decoder uses (unit rows)
 * &lt;out&gt;/&lt;model&gt;/encoder.weight.npy   [m x d]  and every other trainable tensor / buffer by name
 * </pre>
 */
public final class DictionaryExport {
    private DictionaryExport() {
    }

    /**
     * @param model the model.
     * @param out the output folder (created).
     */
    public static void write(UsaeModel model, Path out) {
        UsaeParameters params = model.parameters();
        Architecture arch = params.architecture();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", "tribuo-usae npy export 1");
        root.put("numLatents", arch.numLatents());
        root.put("k", arch.k());
        root.put("encoder", arch.encoder().name());
        root.put("sparsity", arch.sparsity().name());
        root.put("decoderBias", arch.decoderBias());
        root.put("dictionary", arch.dictionary().name());
        if (arch.sharedK() > 0) {
            root.put("sharedK", arch.sharedK());
        }
        if (arch.maxRowSlots() > 0) {
            root.put("maxRowSlots", arch.maxRowSlots());
        }
        root.put("standardize", "x_std = (x - mu) / (sigma + 1e-5)");
        root.put("forward", forwardText(arch));
        ArrayNode models = root.putArray("models");
        for (ModelParameters p : params.models()) {
            Path dir = out.resolve(p.name());
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("Could not create " + dir + ": " + e.getMessage(), e);
            }
            int m = p.numLatents();
            Npy.writeFloat32(dir.resolve("decoder.npy"), decoder(p, arch), m, p.dim());
            ObjectNode node = models.addObject();
            node.put("name", p.name());
            node.put("dim", p.dim());
            node.put("mu", p.mu());
            node.put("sigma", p.sigma());
            ObjectNode files = node.putObject("files");
            files.put("decoder", p.name() + "/decoder.npy");
            for (Map.Entry<String, float[]> e : p.trainable().entrySet()) {
                writeTensor(dir, p, e.getKey(), e.getValue(), files);
            }
            for (Map.Entry<String, float[]> e : p.buffers().entrySet()) {
                writeTensor(dir, p, e.getKey(), e.getValue(), files);
            }
        }
        try {
            AtomicFiles.writeString(out.resolve("export.json"), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTensor(Path dir, ModelParameters p, String name, float[] v, ObjectNode files) {
        String file = name + ".npy";
        int rows = v.length == p.numLatents() * p.dim() ? p.numLatents() : 1;
        Npy.writeFloat32(dir.resolve(file), v, rows, v.length / rows);
        files.put(name, p.name() + "/" + file);
    }

    /** @return the dictionary rows exactly as the forward pass uses them. */
    static float[] decoder(ModelParameters p, Architecture arch) {
        return arch.dictionary().normalization().forwardRows(p.dictionary(), p.numLatents(), p.dim());
    }

    private static String forwardText(Architecture arch) {
        String enc = arch.encoderBlock().formula();
        String sparsity = arch.sparsityBlock().formula();
        String dec = "x_hat_std = z @ decoder" + (arch.decoderBias() ? " + input_bias" : "")
                + "; x_hat = x_hat_std * (sigma + 1e-5) + mu";
        return enc + "; " + sparsity + "; " + dec;
    }
}
