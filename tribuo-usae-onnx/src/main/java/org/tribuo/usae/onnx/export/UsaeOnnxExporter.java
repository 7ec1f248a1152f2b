package org.tribuo.usae.onnx.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.ONNXExportable;
import org.tribuo.Tribuo;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exports a trained {@link UsaeModel} as one ONNX model (opset {@value #OPSET}, IR {@value #IR_VERSION})
 * that runs the whole eval-mode forward pass on raw activations.
 *
 * <p>Graph, for every model {@code <s>} (in model order) and with {@code m} latents and {@code k} active ({@code k} is
 * the codes' width: BATCH_TOPK's is {@code maxRowSlots}, with 0 in the slots a row does not keep):
 * <pre>
 * input   x_&lt;s&gt;                       float [batch, d_s]   raw activations
 * output  codes_&lt;s&gt;_values            float [batch, k]     code values, descending per row
 * output  codes_&lt;s&gt;_indices           int64 [batch, k]     latent ids of those values
 * output  codes_&lt;s&gt;_dense             float [batch, m]     only with {@link Options#denseCodes()}
 * output  recon_&lt;s&gt;_to_&lt;t&gt;          float [batch, d_t]   raw-unit reconstruction of model t from s
 * </pre>
 * Reconstructions are written for every (source, target) pair, or only s = t without
 * {@link Options#crossReconstructions()}. The forward pass is the Java one
 * ({@link org.tribuo.usae.model.DictionaryExport} describes it): standardise {@code (x - mu) / (sigma + 1e-5)};
 * encoder {@code h = x W^T + b} then eval-mode BatchNorm, or {@code (x - input_bias) W^T + b} (AFFINE); per-model
 * TopK of {@code relu(pre)}, or for GLOBAL_TOPK the TopK of the sum of every model's {@code pre} (so every input is
 * needed, and all models' indices outputs are equal) with values {@code relu(pre_s)} gathered there; the sparse
 * code is scattered into a dense {@code [batch, m]} row and multiplied by the decoder (plus the decoder bias) and
 * de-standardised. The decoder initialisers hold the dictionary rows as the forward pass uses them (already divided
 * by {@code ||row|| + 1e-8} for ROW_NORMALIZED), so the graph does not renormalise. ONNX TopK breaks ties towards the
 * lower index, as the Java TopK does.
 *
 * <p>Metadata: {@value ONNXExportable#PROVENANCE_METADATA_FIELD} holds the model provenance marshalled exactly as
 * Tribuo's {@link ONNXExportable#buildModel} does (read it back with
 * {@code ONNXExportable.SERIALIZER.deserializeAndUnmarshal}); {@value #METADATA_KEY} holds a JSON description
 * (architecture, k, m, per-model names, widths, mu, sigma, input and output names); {@value #MODELS_KEY},
 * {@value #K_KEY} and {@value #NUM_LATENTS_KEY} repeat the essentials as plain strings.
 */
public final class UsaeOnnxExporter {
    /** ONNX opset imported from the default domain (every operator used exists there). */
    public static final int OPSET = 13;
    /** ONNX IR version written. */
    public static final int IR_VERSION = 7;
    /** Model domain written into the ModelProto. */
    public static final String DOMAIN = "org.tribuo.usae";
    /** Metadata key of the JSON description. */
    public static final String METADATA_KEY = "USAE_EXPORT";
    /** Metadata key of the JSON array of model names, in model (input) order. */
    public static final String MODELS_KEY = "usae.models";
    /** Metadata key of k. */
    public static final String K_KEY = "usae.k";
    /** Metadata key of m. */
    public static final String NUM_LATENTS_KEY = "usae.num_latents";
    /** Value of the "format" field of the JSON description. */
    public static final String FORMAT = "tribuo-usae onnx export 1";

    private static final float BN_EPS = 1e-5f;

    /**
     * What the exported graph outputs besides the sparse codes.
     *
     * @param denseCodes           also output {@code codes_<s>_dense [batch, m]}.
     * @param crossReconstructions reconstruct every target from every source (else each model from itself).
     */
    public record Options(boolean denseCodes, boolean crossReconstructions) {
        /** Sparse codes and every (source, target) reconstruction. */
        public static final Options DEFAULT = new Options(false, true);
    }

    private UsaeOnnxExporter() {
    }

    /** @param model a model name. @return the graph input of its raw activations. */
    public static String inputName(String model) { return "x_" + model; }

    /** @param model a model name. @return the output of its code values. */
    public static String valuesName(String model) { return "codes_" + model + "_values"; }

    /** @param model a model name. @return the output of its code indices (int64). */
    public static String indicesName(String model) { return "codes_" + model + "_indices"; }

    /** @param model a model name. @return the output of its dense codes (with {@link Options#denseCodes()}). */
    public static String denseName(String model) { return "codes_" + model + "_dense"; }

    /** @param source source model. @param target target model. @return the reconstruction output. */
    public static String reconName(String source, String target) { return "recon_" + source + "_to_" + target; }

    /** @param model the model. @return the ONNX model with {@link Options#DEFAULT}. */
    public static OnnxMl.ModelProto export(UsaeModel model) {
        return export(model, Options.DEFAULT);
    }

    /**
     * @param model the trained model.
     * @param options what to output.
     * @return the ONNX model proto.
     */
    public static OnnxMl.ModelProto export(UsaeModel model, Options options) {
        UsaeParameters params = model.parameters();
        Architecture arch = params.architecture();
        int n = params.numModels();
        int m = arch.numLatents();
        // the codes' width: k, or BATCH_TOPK's maxRowSlots (its rows keep a varying number)
        int k = arch.slots();
        SparsityExport.Emitter sparsity = SparsityExport.of(arch.sparsityBlock());

        ONNXContext ctx = new ONNXContext();
        ctx.setName("usae");
        ONNXInitializer kTensor = ctx.array("k", new long[]{k});
        ONNXInitializer[] biasOrNull = new ONNXInitializer[n];
        ONNXRef<?>[] pre = new ONNXRef<?>[n];
        for (int i = 0; i < n; i++) {
            ModelParameters p = params.model(i);
            String name = p.name();
            if (p.has(ModelParameters.INPUT_BIAS)) {
                biasOrNull[i] = ctx.array(name + ".input_bias", p.inputBias());
            }
            ONNXRef<?> x = ctx.floatInput(inputName(name), p.dim())
                    .apply(ONNXOperators.SUB, ctx.constant(name + ".mu", (float) p.mu()))
                    .apply(ONNXOperators.MUL, ctx.constant(name + ".inv_scale",
                            (float) (1.0 / (p.sigma() + ModelParameters.STANDARDIZE_EPS))));
            if (arch.encoderBlock().subtractsInputBias()) {
                x = x.apply(ONNXOperators.SUB, biasOrNull[i]);
            }
            ONNXInitializer w = ctx.floatTensor(name + ".encoder.weight", List.of(m, p.dim()),
                    fb -> fb.put(p.encoderWeight()));
            ONNXInitializer b = ctx.array(name + ".encoder.bias", p.encoderBias());
            ONNXRef<?> h = x.apply(ONNXOperators.GEMM, List.of(w, b), List.of(name + ".h"), Map.of("transB", 1)).get(0);
            if (arch.encoderBlock().normalizesOverBatch()) {
                ONNXNode invStd = ctx.constant(name + ".one", 1f).apply(ONNXOperators.DIV,
                        ctx.array(name + ".bn.running_var", p.bnRunningVar())
                                .apply(ONNXOperators.ADD, ctx.constant(name + ".bn.eps", BN_EPS))
                                .apply(UsaeOnnxOps.SQRT));
                h = h.apply(ONNXOperators.SUB, ctx.array(name + ".bn.running_mean", p.bnRunningMean()))
                        .apply(ONNXOperators.MUL, invStd)
                        .apply(ONNXOperators.MUL, ctx.array(name + ".bn.weight", p.bnWeight()))
                        .apply(ONNXOperators.ADD, ctx.array(name + ".bn.bias", p.bnBias()));
            }
            pre[i] = h;
        }

        ONNXRef<?>[] values = new ONNXRef<?>[n];
        ONNXRef<?>[] indices = new ONNXRef<?>[n];
        sparsity.emit(ctx, params, pre, kTensor, values, indices);

        Set<String> int64Outputs = new HashSet<>();
        ONNXRef<?>[] dense = new ONNXRef<?>[n];
        for (int i = 0; i < n; i++) {
            String name = params.model(i).name();
            values[i].assignTo(ctx.floatOutput(valuesName(name), k));
            indices[i].assignTo(ctx.floatOutput(indicesName(name), k));
            int64Outputs.add(indicesName(name));
            ONNXNode zeros = pre[i].apply(UsaeOnnxOps.SHAPE).apply(ONNXOperators.CONSTANT_OF_SHAPE);
            dense[i] = zeros.apply(UsaeOnnxOps.SCATTER_ELEMENTS, List.of(indices[i], values[i]),
                    List.of(name + ".dense"), Map.of("axis", 1)).get(0);
            if (options.denseCodes()) {
                dense[i].assignTo(ctx.floatOutput(denseName(name), m));
            }
        }

        List<String[]> pairs = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            ModelParameters p = params.model(t);
            String target = p.name();
            float[] decoder = arch.dictionary().normalization().forwardRows(p.dictionary(), m, p.dim());
            ONNXInitializer dec = ctx.floatTensor(target + ".decoder", List.of(m, p.dim()), fb -> fb.put(decoder));
            List<ONNXRef<?>> gemmInputs = arch.decoderBias() ? List.of(dec, biasOrNull[t]) : List.of(dec);
            ONNXInitializer scale = ctx.constant(target + ".scale", (float) (p.sigma() + ModelParameters.STANDARDIZE_EPS));
            ONNXInitializer mu = ctx.constant(target + ".mu_out", (float) p.mu());
            for (int s = 0; s < n; s++) {
                if (s != t && !options.crossReconstructions()) {
                    continue;
                }
                String source = params.model(s).name();
                dense[s].apply(ONNXOperators.GEMM, gemmInputs)
                        .apply(ONNXOperators.MUL, scale)
                        .apply(ONNXOperators.ADD, mu)
                        .assignTo(ctx.floatOutput(reconName(source, target), p.dim()));
                pairs.add(new String[]{source, target});
            }
        }

        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        for (OnnxMl.ValueInfoProto.Builder out : graph.getOutputBuilderList()) {
            if (int64Outputs.contains(out.getName())) {
                out.getTypeBuilder().getTensorTypeBuilder().setElemType(OnnxMl.TensorProto.DataType.INT64.getNumber());
            }
        }
        return OnnxMl.ModelProto.newBuilder()
                .setGraph(graph.build())
                .setDomain(DOMAIN)
                .setProducerName("tribuo-usae")
                .setProducerVersion("tribuo-" + Tribuo.VERSION)
                .setModelVersion(1)
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setDocString(model.toString())
                .addMetadataProps(entry(ONNXExportable.PROVENANCE_METADATA_FIELD,
                        ONNXExportable.SERIALIZER.marshalAndSerialize(model.getProvenance())))
                .addMetadataProps(entry(METADATA_KEY, describe(model, options, pairs)))
                .addMetadataProps(entry(MODELS_KEY, json(new ObjectMapper().valueToTree(params.names()))))
                .addMetadataProps(entry(K_KEY, Integer.toString(arch.k())))
                .addMetadataProps(entry(NUM_LATENTS_KEY, Integer.toString(m)))
                .build();
    }

    /**
     * Writes {@link #export(UsaeModel, Options)} to a file atomically (a temporary file renamed over the target).
     * @param model the model.
     * @param options what to output.
     * @param file the {@code .onnx} file.
     */
    public static void write(UsaeModel model, Options options, Path file) {
        AtomicFiles.write(file, export(model, options).toByteArray());
    }

    /** @param model the model. @param file the {@code .onnx} file, written atomically with {@link Options#DEFAULT}. */
    public static void write(UsaeModel model, Path file) {
        write(model, Options.DEFAULT, file);
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static String describe(UsaeModel model, Options options, List<String[]> pairs) {
        UsaeParameters params = model.parameters();
        Architecture arch = params.architecture();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", model.getName());
        root.put("numLatents", arch.numLatents());
        root.put("k", arch.k());
        if (arch.maxRowSlots() > 0) {
            root.put("maxRowSlots", arch.maxRowSlots());
        }
        root.put("encoder", arch.encoder().name());
        root.put("sparsity", arch.sparsity().name());
        root.put("decoderBias", arch.decoderBias());
        root.put("dictionary", arch.dictionary().name());
        root.put("standardize", "x_std = (x - mu) / (sigma + 1e-5); outputs are de-standardised: x = x_std * (sigma + 1e-5) + mu");
        root.put("denseCodes", options.denseCodes());
        ArrayNode models = root.putArray("models");
        for (ModelParameters p : params.models()) {
            ObjectNode node = models.addObject();
            node.put("name", p.name());
            node.put("dim", p.dim());
            node.put("mu", p.mu());
            node.put("sigma", p.sigma());
            node.put("input", inputName(p.name()));
            node.put("values", valuesName(p.name()));
            node.put("indices", indicesName(p.name()));
            if (options.denseCodes()) {
                node.put("dense", denseName(p.name()));
            }
        }
        ArrayNode recon = root.putArray("reconstructions");
        for (String[] st : pairs) {
            recon.addObject().put("source", st[0]).put("target", st[1]).put("output", reconName(st[0], st[1]));
        }
        return json(root);
    }

    private static String json(Object tree) {
        try {
            return new ObjectMapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
