package org.tribuo.usae.onnx.export;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.ONNXExportable;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.train.UsaeTrainer;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports tiny trained models of each recipe, runs the ONNX file in ONNX Runtime (CPU) on held-out rows and
 * compares codes and every cross-reconstruction with the Java model.
 */
class UsaeOnnxExporterTest {
    private static final double TOL = 1e-4;
    private static PlantedData planted;
    private static InMemoryActivationSet set;
    private static OrtEnvironment env;

    @BeforeAll
    static void data() {
        planted = PlantedConcepts.generate(PlantedOptions.demo().withRows(3000));
        set = new InMemoryActivationSet(List.of(planted.names()), planted.dims(), planted.x());
        env = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void close() {
        set.close();
    }

    private static UsaeTrainer trainer(String recipe, Map<String, String> extra) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        Map<String, String> all = new HashMap<>(Map.of("recipe", recipe, "steps", "150", "numLatents", "64",
                "k", "6", "batchSize", "128", "holdOutFraction", "0.1", "seed", "7"));
        all.putAll(extra);
        all.forEach((key, v) -> cd.add(key, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    /** Max abs differences of one parity run, for the report. */
    record Parity(double values, double recon, int mismatchedRows, int rows, double meanL0, double maxCode) {
    }

    private static void checkParity(String recipe, Map<String, String> extra) throws Exception {
        UsaeTrainer trainer = trainer(recipe, extra);
        UsaeModel model = trainer.train(set);
        int rows = (int) (set.rows() - trainer.trainRows(set.rows()));
        int first = (int) trainer.trainRows(set.rows());
        int n = model.modelNames().size();
        int k = model.parameters().architecture().slots();
        float[][] raw = new float[n][];
        for (int i = 0; i < n; i++) {
            int d = planted.dims()[i];
            raw[i] = Arrays.copyOfRange(planted.x()[i], first * d, (first + rows) * d);
        }
        SparseCodes[] java = model.encodeJoint(raw, rows);
        double meanL0 = Arrays.stream(java).mapToDouble(SparseCodes::meanL0).average().orElse(0);
        double maxCode = 0;
        for (SparseCodes c : java) {
            for (float v : c.values()) {
                maxCode = Math.max(maxCode, v);
            }
        }
        assertTrue(meanL0 > 1, recipe + ": the codes are not trivially zero, mean L0 " + meanL0);

        OnnxMl.ModelProto proto = UsaeOnnxExporter.export(model, new UsaeOnnxExporter.Options(true, true));
        assertEquals(UsaeOnnxExporter.OPSET, proto.getOpsetImport(0).getVersion());
        try (OrtSession session = env.createSession(proto.toByteArray(), new OrtSession.SessionOptions())) {
            assertEquals(n, session.getNumInputs());
            assertEquals(n * 3 + n * n, session.getNumOutputs());
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                for (int i = 0; i < n; i++) {
                    String name = model.modelNames().get(i);
                    inputs.put(UsaeOnnxExporter.inputName(name), OnnxTensor.createTensor(env, FloatBuffer.wrap(raw[i]),
                            new long[]{rows, planted.dims()[i]}));
                }
                try (OrtSession.Result result = session.run(inputs)) {
                    double maxValue = 0;
                    double maxRecon = 0;
                    int mismatched = 0;
                    boolean[] rowMismatch = new boolean[rows];
                    long[] sharedIdx = null;
                    for (int i = 0; i < n; i++) {
                        String name = model.modelNames().get(i);
                        float[] vals = floats(result, UsaeOnnxExporter.valuesName(name));
                        long[] idx = longs(result, UsaeOnnxExporter.indicesName(name));
                        float[] dense = floats(result, UsaeOnnxExporter.denseName(name));
                        assertEquals(rows * k, vals.length);
                        if (model.parameters().architecture().sparsity() == SparsityKind.GLOBAL_TOPK) {
                            if (sharedIdx == null) {
                                sharedIdx = idx;
                            } else {
                                assertArrayEquals(sharedIdx, idx, "global TopK indices are shared");
                            }
                        }
                        float[] javaDense = java[i].toDense(model.parameters().architecture().numLatents());
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < k; j++) {
                                if (idx[r * k + j] != java[i].indices()[r * k + j]) {
                                    rowMismatch[r] = true;
                                }
                            }
                            if (rowMismatch[r]) {
                                continue;
                            }
                            for (int j = 0; j < k; j++) {
                                maxValue = Math.max(maxValue, Math.abs(vals[r * k + j] - java[i].values()[r * k + j]));
                            }
                        }
                        for (int q = 0; q < dense.length; q++) {
                            if (!rowMismatch[q / model.parameters().architecture().numLatents()]) {
                                maxValue = Math.max(maxValue, Math.abs(dense[q] - javaDense[q]));
                            }
                        }
                    }
                    for (boolean b : rowMismatch) {
                        mismatched += b ? 1 : 0;
                    }
                    for (int s = 0; s < n; s++) {
                        for (int t = 0; t < n; t++) {
                            float[] expected = model.decode(java[s], t);
                            float[] got = floats(result, UsaeOnnxExporter.reconName(model.modelNames().get(s),
                                    model.modelNames().get(t)));
                            int d = planted.dims()[t];
                            assertEquals(expected.length, got.length);
                            for (int q = 0; q < got.length; q++) {
                                if (!rowMismatch[q / d]) {
                                    maxRecon = Math.max(maxRecon, Math.abs(got[q] - expected[q]));
                                }
                            }
                        }
                    }
                    Parity p = new Parity(maxValue, maxRecon, mismatched, rows, meanL0, maxCode);
                    System.out.println("ONNX parity " + recipe + ": " + p);
                    // index differences are allowed only for near-ties; they must be rare
                    assertTrue(mismatched <= rows / 100, recipe + ": " + p);
                    assertTrue(maxValue <= TOL, recipe + ": " + p);
                    assertTrue(maxRecon <= TOL, recipe + ": " + p);
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }

            // provenance and the description survive in the metadata, as Tribuo marshals them
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            ModelProvenance prov = (ModelProvenance) ONNXExportable.SERIALIZER.deserializeAndUnmarshal(
                    meta.get(ONNXExportable.PROVENANCE_METADATA_FIELD));
            assertEquals(model.getProvenance(), prov);
            assertEquals(Integer.toString(model.parameters().architecture().k()), meta.get(UsaeOnnxExporter.K_KEY));
            assertEquals(Integer.toString(model.parameters().architecture().numLatents()),
                    meta.get(UsaeOnnxExporter.NUM_LATENTS_KEY));
            JsonNode desc = readJson(meta.get(UsaeOnnxExporter.METADATA_KEY));
            assertEquals(UsaeOnnxExporter.FORMAT, desc.get("format").asText());
            assertEquals(model.parameters().architecture().sparsity().name(), desc.get("sparsity").asText());
            for (int i = 0; i < n; i++) {
                JsonNode m = desc.get("models").get(i);
                assertEquals(model.modelNames().get(i), m.get("name").asText());
                assertEquals(model.parameters().model(i).mu(), m.get("mu").asDouble());
                assertEquals(model.parameters().model(i).sigma(), m.get("sigma").asDouble());
            }
            assertEquals(n * n, desc.get("reconstructions").size());
        }
    }

    private static JsonNode readJson(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() -> new AssertionError("no output " + name));
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    private static long[] longs(OrtSession.Result result, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() -> new AssertionError("no output " + name));
        LongBuffer b = t.getLongBuffer();
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void faithfulBatchNormTopKRowNormalisedMatchesJava() throws Exception {
        checkParity("FAITHFUL", Map.of());
    }

    @Test
    void sparcGlobalTopKAffineDecoderBiasUnitNormMatchesJava() throws Exception {
        checkParity("SPARC", Map.of("auxK", "16"));
    }

    @Test
    void alignedMatchesJava() throws Exception {
        checkParity("ALIGNED", Map.of("auxK", "16"));
    }

    @Test
    void batchTopKKeepsWhatReachesEachModelsThresholdAsJavaDoes() throws Exception {
        checkParity("BATCH_TOPK", Map.of("auxK", "16", "maxRowSlots", "12"));
    }

    @Test
    void aSparsityWithoutAGraphIsRefusedInOneLine() {
        UsaeModel hybrid = trainer("ALIGNED", Map.of("sparsity", "HYBRID_TOPK", "steps", "2")).train(set);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UsaeOnnxExporter.export(hybrid, UsaeOnnxExporter.Options.DEFAULT));
        assertTrue(e.getMessage().startsWith("ONNX export has no graph for hybrid TopK"), e.getMessage());
        assertTrue(e.getMessage().contains("encode this model with UsaeModel on the JVM"), e.getMessage());
    }

    @Test
    void writesAtomicallyAndSelfOnlyDropsCrossOutputs(@TempDir Path dir) throws Exception {
        UsaeModel model = trainer("FAITHFUL", Map.of("steps", "5")).train(set);
        Path file = dir.resolve("sub/usae.onnx");
        UsaeOnnxExporter.write(model, new UsaeOnnxExporter.Options(false, false), file);
        assertTrue(Files.isRegularFile(file));
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            Set<String> outs = session.getOutputNames();
            for (String s : model.modelNames()) {
                assertTrue(session.getInputNames().contains(UsaeOnnxExporter.inputName(s)));
                assertTrue(outs.contains(UsaeOnnxExporter.valuesName(s)));
                assertTrue(outs.contains(UsaeOnnxExporter.indicesName(s)));
                assertFalse(outs.contains(UsaeOnnxExporter.denseName(s)));
                for (String t : model.modelNames()) {
                    assertEquals(s.equals(t), outs.contains(UsaeOnnxExporter.reconName(s, t)));
                }
            }
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }
}
