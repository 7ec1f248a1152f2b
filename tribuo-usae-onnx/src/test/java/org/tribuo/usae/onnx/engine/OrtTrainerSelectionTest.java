package org.tribuo.usae.onnx.engine;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.Test;

import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.FusedEngineOptions;
import org.tribuo.usae.train.UsaeTrainer;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer selects the ORT engine from its {@code engine} field through the fused-engine registry. */
class OrtTrainerSelectionTest {

    private static InMemoryActivationSet set() {
        int rows = 256;
        int[] dims = {6, 10};
        SplittableRandom r = new SplittableRandom(4);
        float[][] x = new float[2][];
        for (int i = 0; i < 2; i++) {
            x[i] = new float[rows * dims[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = (float) (r.nextGaussian() + 0.5);
            }
        }
        return new InMemoryActivationSet(List.of("a", "b"), dims, x);
    }

    /** @param extra further trainer properties, as name, value pairs. */
    private static UsaeTrainer trainer(String recipe, EngineKind engine, String... extra) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        for (int q = 0; q < extra.length; q += 2) {
            cd.add(extra[q], new SimpleProperty(extra[q + 1]));
        }
        String[][] f = {{"recipe", recipe}, {"steps", "10"}, {"numLatents", "24"}, {"k", "3"}, {"batchSize", "32"},
                {"seed", "3"}, {"engine", engine.name()}, {"ortChunkSteps", "4"}, {"learningRate", "0.005"}};
        for (String[] kv : f) {
            cd.add(kv[0], new SimpleProperty(kv[1]));
        }
        if (recipe.equals("SPARC") || recipe.equals("AFFINE_FAST")) {
            // latents dead after 2 silent steps, re-initialised after steps 0, 3, 6, 9: AuxK is active and
            // the chunks (4 steps) must break at every re-initialisation
            cd.add("deadSteps", new SimpleProperty("2"));
            cd.add("deadReinitEvery", new SimpleProperty("3"));
        }
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    /** Every built-in recipe, read from the registry: the ORT engine runs them all. */
    static List<String> builtInRecipes() {
        return org.tribuo.usae.train.Recipes.names();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("builtInRecipes")
    void ortCpuTrainerMatchesCpuTrainer(String recipe) {
        try (InMemoryActivationSet data = set()) {
            UsaeModel cpu = trainer(recipe, EngineKind.CPU).train(data);
            UsaeModel ort = trainer(recipe, EngineKind.ORT_CPU).train(data);
            boolean batchNorm = cpu.parameters().model(0).bnRunningMean() != null;
            List<String> tensors = batchNorm
                    ? List.of(ModelParameters.ENC_WEIGHT, ModelParameters.BN_WEIGHT, ModelParameters.BN_BIAS,
                    ModelParameters.DICTIONARY, ModelParameters.BN_RUNNING_VAR)
                    : List.of(ModelParameters.ENC_WEIGHT, ModelParameters.ENC_BIAS, ModelParameters.INPUT_BIAS,
                    ModelParameters.DICTIONARY);
            for (int i = 0; i < 2; i++) {
                ModelParameters c = cpu.parameters().model(i);
                ModelParameters o = ort.parameters().model(i);
                // 10 steps in chunks; same tolerance reasoning as OrtTrainingEngineParityTest
                for (String t : tensors) {
                    float[] a = c.get(t);
                    float[] b = o.get(t);
                    double scale = 0;
                    for (float v : a) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int q = 0; q < a.length; q++) {
                        assertEquals(a[q], b[q], 2e-5 * scale, c.name() + " " + t + "[" + q + "]");
                    }
                }
                assertEquals(c.bnBatchesTracked(), o.bnBatchesTracked(), c.name() + " BatchNorm batches");
                assertEquals(c.mu(), o.mu(), 0);
                assertEquals(c.sigma(), o.sigma(), 0);
                float[] threshold = c.get(ModelParameters.INFERENCE_THRESHOLD);
                if (threshold != null) {
                    // BATCH_TOPK: set after training from the trained encoders, so as close as they are
                    assertEquals(threshold[0], o.get(ModelParameters.INFERENCE_THRESHOLD)[0], 1e-4 * Math.abs(threshold[0]),
                            c.name() + " inference threshold");
                    assertTrue(threshold[0] > 0, c.name() + " inference threshold " + threshold[0]);
                }
            }
            if (batchNorm) {
                assertEquals(10, cpu.parameters().model(0).bnBatchesTracked() + cpu.parameters().model(1).bnBatchesTracked(),
                        "every step updated exactly one source");
            }
        }
    }

    @Test
    void settingsWithoutAStepInTheGraphAreRejectedNamingTheSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // ALIGNED with HYBRID_TOPK: no mask emitter for that block
        java.nio.file.Path hybrid = variant(dir, "aligned", "");
        java.nio.file.Files.writeString(hybrid, java.nio.file.Files.readString(hybrid)
                .replace("value=\"TOPK\"", "value=\"HYBRID_TOPK\""));
        try (InMemoryActivationSet data = set()) {
            IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                    () -> trainer(hybrid.toString(), EngineKind.ORT_CPU, "sharedK", "2").train(data));
            assertTrue(h.getMessage().contains("no mask for sparsity HYBRID_TOPK"), h.getMessage());
            // every model a source but only sources updated trains on the CPU engine; the graph shares one set of
            // AdamW scalars per step, so it pairs the two rules
            IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                    () -> trainer("AFFINE_FAST", EngineKind.ORT_CPU, "updateRule", "ALL_MODELS").train(data));
            assertTrue(mixed.getMessage().contains("pairs sources = ALL with updateRule = ALL_MODELS"), mixed.getMessage());
            trainer("AFFINE_FAST", EngineKind.CPU, "updateRule", "ALL_MODELS").train(data);

        }
    }

    @Test
    void theFusedEnginesHeapModelCountsItsChunkNotTheCpuEnginesScratch() {
        int[] dims = {48, 32, 64};
        // the helper's shape: m = 24, k = 3, 32 rows per batch
        org.tribuo.usae.train.TrainingSettings s = trainer("ALIGNED", EngineKind.ORT_CPU).settingsFor(dims, 10_000);
        org.tribuo.usae.train.MemoryEstimate ort = org.tribuo.usae.train.MemoryEstimate.of(s, dims, 10_000,
                org.tribuo.usae.train.FusedStepEngines.memory(EngineKind.ORT_CPU), 4);
        // P = 2 x 24 x 144 + 3 x 24 + 144 = 7,128; a chunk of S = 4 steps of 32 rows, D = 144:
        //   state copies 3 P = 21,384; batches 2 (S - 1) 32 x 144 + their stacked copy S 32 x 144 = 46,080;
        //   statistics S (4 + 3 x 24) = 304; plus the batch every run holds, 2 x 32 x 144 = 9,216
        assertEquals(4L * (21_384 + 46_080 + 304 + 9_216), ort.stepBytes());
        org.tribuo.usae.train.MemoryEstimate cpu = org.tribuo.usae.train.MemoryEstimate.of(s, dims, 10_000, EngineKind.CPU);
        assertEquals(cpu.parameterBytes() + cpu.optimizerBytes(), ort.parameterBytes() + ort.optimizerBytes());
        assertTrue(ort.stepBytes() != cpu.stepBytes());
    }

    /** A built-in recipe's file under a new name, with extra properties. */
    private static java.nio.file.Path variant(java.nio.file.Path dir, String recipe, String extra) throws Exception {
        String xml;
        try (java.io.InputStream in = org.tribuo.usae.train.Recipes.class.getResourceAsStream("recipes/" + recipe + ".xml")) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.nio.file.Path out = dir.resolve(recipe + "-variant.xml");
        String name = recipe.toUpperCase(java.util.Locale.ROOT);
        java.nio.file.Files.writeString(out, xml.replace("value=\"" + name + "\"", "value=\"" + name + "_VARIANT\"")
                .replace("<property name=\"epochs\"", extra + "<property name=\"epochs\""));
        return out;
    }

    @Test
    void cudaWithoutTheGpuBuildSaysWhatIsMissing() {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA), "the CUDA provider is present: nothing to check");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new OrtTrainingEngine(EngineKind.ORT_CUDA,
                TrainingRun.settings(org.tribuo.usae.sae.ReconstructionLoss.L1, 1), TrainingRun.DIMS,
                new FusedEngineOptions(1, false)));
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void reducedPrecisionIsRejectedOnTheCpuProvider() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrtTrainingEngine(
                EngineKind.ORT_CPU, TrainingRun.settings(org.tribuo.usae.sae.ReconstructionLoss.L1, 1), TrainingRun.DIMS,
                new FusedEngineOptions(1, true)));
        assertTrue(e.getMessage().contains("need ORT_CUDA"), e.getMessage());
    }
}
