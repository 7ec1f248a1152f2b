package org.tribuo.usae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The committed model files of every format version (src/test/resources/model-formats) and what
 * they must predict. A fixture is written once, by the code of its version, and never regenerated:
 * later code must keep reading it ({@link ModelFormatFixtureWriter} writes the current version's).
 */
final class ModelFormatFixtures {
    /** The trainer seed; its digits are distinctive so a test can find them in the stored provenance. */
    static final long SEED = 73911;
    /** Raw rows per model that the fixtures' expected codes and reconstructions are recorded for. */
    static final int PROBE_ROWS = 4;
    static final String RESOURCE_FOLDER = "model-formats";

    private static final List<String> MODEL_NAMES = List.of("a", "b");
    private static final int[] DIMS = {5, 3};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFormatFixtures() {
    }

    /** @param version a format version. @return the model file's name, e.g. usae-model-v0.usae. */
    static String modelFileName(int version) {
        return "usae-model-v" + version + ".usae";
    }

    /** @param version a format version. @return the name of the file of its expected predictions. */
    static String expectedFileName(int version) {
        return "usae-model-v" + version + ".expected.json";
    }

    /** @param name a file in the fixture folder. @return its bytes, or null when there is no such file. */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelFormatFixtures.class.getResourceAsStream("/" + RESOURCE_FOLDER + "/" + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** A two-model FAITHFUL model (m = 8, k = 2, dims 5 and 3): BatchNorm buffers included, a few KB on disk. */
    static UsaeModel trainTiny() {
        int rows = 128;
        SplittableRandom r = new SplittableRandom(5);
        float[][] x = new float[DIMS.length][];
        for (int i = 0; i < DIMS.length; i++) {
            x[i] = new float[rows * DIMS[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = (float) (r.nextGaussian() * (i + 1) + i);
            }
        }
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        String[][] settings = {{"recipe", "FAITHFUL"}, {"steps", "4"}, {"numLatents", "8"}, {"k", "2"},
                {"batchSize", "32"}, {"seed", Long.toString(SEED)}};
        for (String[] kv : settings) {
            cd.add(kv[0], new SimpleProperty(kv[1]));
        }
        cm.addConfiguration(cd);
        UsaeTrainer trainer = (UsaeTrainer) cm.lookup("trainer");
        return trainer.train(new InMemoryActivationSet(MODEL_NAMES, DIMS, x));
    }

    /** @param model model index. @param dim its width. @return fixed raw input rows for that model. */
    static float[] probeRows(int model, int dim) {
        SplittableRandom r = new SplittableRandom(1000 + model);
        float[] rows = new float[PROBE_ROWS * dim];
        for (int q = 0; q < rows.length; q++) {
            rows[q] = (float) (r.nextGaussian() * (model + 1) + model);
        }
        return rows;
    }

    /**
     * What a model predicts for the probe rows: per model its codes and its own reconstruction.
     * @param model the model.
     * @return the JSON written beside a fixture.
     */
    static ObjectNode predictions(UsaeModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", model.getName());
        root.put("num_latents", model.parameters().architecture().numLatents());
        root.put("k", model.parameters().architecture().k());
        ArrayNode models = root.putArray("models");
        for (int i = 0; i < model.modelNames().size(); i++) {
            int dim = model.parameters().model(i).dim();
            SparseCodes codes = model.encode(i, probeRows(i, dim), PROBE_ROWS);
            ObjectNode m = models.addObject();
            m.put("name", model.modelNames().get(i));
            m.put("dim", dim);
            ArrayNode indices = m.putArray("indices");
            for (int v : codes.indices()) {
                indices.add(v);
            }
            ArrayNode values = m.putArray("values");
            for (float v : codes.values()) {
                values.add(v);
            }
            ArrayNode reconstruction = m.putArray("reconstruction");
            for (float v : model.decode(codes, i)) {
                reconstruction.add(v);
            }
        }
        return root;
    }

    /** @param bytes an expected-predictions file. @return its JSON. */
    static JsonNode parse(byte[] bytes) throws IOException {
        return JSON.readTree(bytes);
    }

    /** @param predictions the JSON of {@link #predictions}. @param file where to write it, pretty-printed. */
    static void write(JsonNode predictions, Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), predictions);
    }
}
