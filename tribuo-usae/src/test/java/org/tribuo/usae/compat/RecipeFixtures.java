package org.tribuo.usae.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Frozen outputs of every recipe (src/test/resources/recipe-compat, see the README there): for each, a tiny
 * run's model file, its step-2 checkpoint, its dictionary export and what the model predicts. Written once
 * by {@link RecipeFixtureWriter}; {@link RecipeCompatibilityTest} requires later code to load them and give
 * the same outputs, so a refactoring that changes a recipe's results fails there.
 */
final class RecipeFixtures {
    static final String RESOURCE_FOLDER = "recipe-compat";
    static final long SEED = 2718;
    static final int STEPS = 4;
    static final int CHECKPOINT_STEP = 2;
    static final int PROBE_ROWS = 6;
    static final List<String> MODEL_NAMES = List.of("a", "b", "c");
    static final int[] DIMS = {5, 3, 4};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The built-in recipes whose defaults are frozen in {@code resolved-settings.txt}. */
    static final List<String> BUILT_IN = List.of("FAITHFUL", "SPARC", "ALIGNED", "FAST", "AFFINE_FAST");

    /**
     * Trainer options added after {@code resolved-settings.txt} was written (recipes do not set them; each
     * resolves to a default that leaves the frozen recipes' results as they were, which the model fixtures check).
     */
    static final java.util.Set<String> OPTIONS_ADDED_SINCE = java.util.Set.of("maxRowSlots", "matryoshkaLevels",
            "deadReinit");

    /** ALIGNED as it was until issue 20 changed its defaults (the recipe-compat README says what changed). */
    static final Map<String, String> ALIGNED_BEFORE_ISSUE_20 = Map.of("recipe", "ALIGNED", "matryoshkaLevels", "1",
            "biasInit", "ZERO", "auxWeight", "0.03125", "deadSteps", "1000", "deadReinitEvery", "100",
            "finalLearningRate", "3e-3", "cosineSchedule", "false");

    /** Fixture name -> trainer settings beyond the common ones: each recipe, and the options added since. */
    static final Map<String, Map<String, String>> RECIPES = recipes();

    private RecipeFixtures() {
    }

    private static Map<String, Map<String, String>> recipes() {
        Map<String, Map<String, String>> r = new LinkedHashMap<>();
        for (String recipe : BUILT_IN) {
            r.put(recipe.toLowerCase(java.util.Locale.ROOT), Map.of("recipe", recipe));
        }
        // ALIGNED's defaults changed in issue 20; its frozen folder pins the defaults it was written with
        r.put("aligned", ALIGNED_BEFORE_ISSUE_20);
        r.put("aligned-issue-20", Map.of("recipe", "ALIGNED"));
        Map<String, String> hybrid = new LinkedHashMap<>(ALIGNED_BEFORE_ISSUE_20);
        hybrid.putAll(Map.of("sparsity", "HYBRID_TOPK", "k", "3", "sharedK", "2", "biasInit", "DATA_MEAN", "deadSteps",
                "2"));
        r.put("aligned-hybrid-data-mean", hybrid);
        r.put("batch_topk", Map.of("recipe", "BATCH_TOPK", "maxRowSlots", "5"));
        r.put("matryoshka", Map.of("recipe", "MATRYOSHKA", "matryoshkaLevels", "3"));
        return r;
    }

    /**
     * @return for every built-in recipe at its defaults (nothing overridden but steps and seed), the settings text a
     *     run on models of widths 64, 96 and 80 with 100,000 training rows resolves to ("NAME: settings"), and
     *     every option's resolved value as the trainer's provenance records it ("NAME options: {...}").
     */
    static String resolvedSettings() {
        StringBuilder sb = new StringBuilder();
        for (String recipe : BUILT_IN) {
            ConfigurationManager cm = new ConfigurationManager();
            ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
            Map.of("recipe", recipe, "steps", "100", "seed", Long.toString(SEED)).forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
            cm.addConfiguration(cd);
            UsaeTrainer trainer = (UsaeTrainer) cm.lookup("trainer");
            sb.append(recipe).append(": ").append(trainer.settingsFor(new int[]{64, 96, 80}, 100_000)).append('\n');
            java.util.TreeMap<String, ?> options = new java.util.TreeMap<>(trainer.getProvenance().getConfiguredParameters());
            options.keySet().removeAll(OPTIONS_ADDED_SINCE);
            sb.append(recipe).append(" options: ").append(options).append('\n');
        }
        return sb.toString();
    }

    /** @return 160 rows of three models, Gaussian with per-model scale and offset. */
    static InMemoryActivationSet data() {
        int rows = 160;
        SplittableRandom r = new SplittableRandom(31);
        float[][] x = new float[DIMS.length][];
        for (int i = 0; i < DIMS.length; i++) {
            x[i] = new float[rows * DIMS[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = (float) (r.nextGaussian() * (i + 1) + i);
            }
        }
        return new InMemoryActivationSet(MODEL_NAMES, DIMS, x);
    }

    /** @param name a fixture. @return its trainer: m = 8, k = 2 (unless set), 4 steps of 32 rows, a checkpoint every 2. */
    static UsaeTrainer trainer(String name) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("steps", Integer.toString(STEPS), "numLatents", "8",
                "k", "2", "batchSize", "32", "seed", Long.toString(SEED), "holdOutFraction", "0",
                "checkpointEverySteps", Integer.toString(CHECKPOINT_STEP), "checkpointKeep", "0"));
        settings.putAll(RECIPES.get(name));
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        settings.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    /** @param model model index. @param dim its width. @return fixed raw probe rows for that model. */
    static float[] probeRows(int model, int dim) {
        SplittableRandom r = new SplittableRandom(500 + model);
        float[] rows = new float[PROBE_ROWS * dim];
        for (int q = 0; q < rows.length; q++) {
            rows[q] = (float) (r.nextGaussian() * (model + 1) + model);
        }
        return rows;
    }

    /**
     * What a model predicts on the probe rows: per model its codes alone and its own reconstruction, the
     * joint codes (all models' rows together, what GLOBAL_TOPK and HYBRID_TOPK choose by) and every cross
     * reconstruction from them.
     */
    static ObjectNode predictions(UsaeModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", model.parameters().architecture().toString());
        int n = model.modelNames().size();
        float[][] raw = new float[n][];
        for (int i = 0; i < n; i++) {
            raw[i] = probeRows(i, model.parameters().model(i).dim());
        }
        SparseCodes[] joint = model.encodeJoint(raw, PROBE_ROWS);
        ArrayNode models = root.putArray("models");
        for (int i = 0; i < n; i++) {
            ObjectNode m = models.addObject();
            m.put("name", model.modelNames().get(i));
            SparseCodes alone = model.encode(i, raw[i], PROBE_ROWS);
            put(m.putArray("indices"), alone.indices());
            put(m.putArray("values"), alone.values());
            put(m.putArray("reconstruction"), model.decode(alone, i));
            put(m.putArray("joint_indices"), joint[i].indices());
            put(m.putArray("joint_values"), joint[i].values());
            ArrayNode cross = m.putArray("joint_decoded");
            for (int t = 0; t < n; t++) {
                put(cross.addArray(), model.decode(joint[i], t));
            }
        }
        return root;
    }

    private static void put(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }

    private static void put(ArrayNode a, float[] v) {
        for (float x : v) {
            a.add(x);
        }
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static void write(JsonNode node, Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }
}
