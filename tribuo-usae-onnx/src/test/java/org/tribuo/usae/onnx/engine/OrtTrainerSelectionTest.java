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

    private static UsaeTrainer trainer(String recipe, EngineKind engine) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        String[][] f = {{"recipe", recipe}, {"steps", "10"}, {"numLatents", "24"}, {"k", "3"}, {"batchSize", "32"},
                {"seed", "3"}, {"engine", engine.name()}, {"ortChunkSteps", "4"}, {"learningRate", "0.005"}};
        for (String[] kv : f) {
            cd.add(kv[0], new SimpleProperty(kv[1]));
        }
        if (recipe.equals("SPARC")) {
            // latents dead after 2 silent steps, re-initialised after steps 0, 3, 6, 9: AuxK is active and
            // the chunks (4 steps) must break at every re-initialisation
            cd.add("deadSteps", new SimpleProperty("2"));
            cd.add("deadReinitEvery", new SimpleProperty("3"));
        }
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"FAITHFUL", "SPARC", "ALIGNED"})
    void ortCpuTrainerMatchesCpuTrainer(String recipe) {
        try (InMemoryActivationSet data = set()) {
            UsaeModel cpu = trainer(recipe, EngineKind.CPU).train(data);
            UsaeModel ort = trainer(recipe, EngineKind.ORT_CPU).train(data);
            List<String> tensors = recipe.equals("FAITHFUL")
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
            }
            if (recipe.equals("FAITHFUL")) {
                assertEquals(10, cpu.parameters().model(0).bnBatchesTracked() + cpu.parameters().model(1).bnBatchesTracked(),
                        "every step updated exactly one source");
            }
        }
    }

    @Test
    void unsupportedRecipeIsRejectedNamingTheSetting() {
        try (InMemoryActivationSet data = set()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer("AFFINE_FAST", EngineKind.ORT_CPU).train(data));
            // AFFINE_FAST is ALIGNED with one random source per step, a step the graph does not implement yet
            assertTrue(e.getMessage().contains("sources = ALL, got RANDOM_ONE"), e.getMessage());
        }
    }

    @Test
    void recipesOfTheNewBlocksAreRejectedNamingTheSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // SPARC's step with Matryoshka prefixes: the graph implements the plain loss only
        String sparc;
        try (java.io.InputStream in = org.tribuo.usae.train.Recipes.class.getResourceAsStream("recipes/sparc.xml")) {
            sparc = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.nio.file.Path nested = dir.resolve("sparc-nested.xml");
        java.nio.file.Files.writeString(nested, sparc.replace("value=\"SPARC\"", "value=\"SPARC_NESTED\"")
                .replace("<property name=\"epochs\" value=\"50\"/>",
                        "<property name=\"epochs\" value=\"50\"/><property name=\"matryoshkaLevels\" value=\"2\"/>"));
        try (InMemoryActivationSet data = set()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer(nested.toString(), EngineKind.ORT_CPU).train(data));
            assertTrue(e.getMessage().contains("matryoshkaLevels = 1, got 2"), e.getMessage());
            IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                    () -> trainer("BATCH_TOPK", EngineKind.ORT_CPU).train(data));
            assertTrue(batch.getMessage().contains("needs sparsity = GLOBAL_TOPK or TOPK, got BATCH_TOPK"),
                    batch.getMessage());
        }
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
