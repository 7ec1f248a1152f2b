package org.tribuo.usae.compat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.train.CheckpointOptions;
import org.tribuo.usae.train.CheckpointFiles;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recipe's frozen outputs (src/test/resources/recipe-compat): its model file loads and predicts what it
 * predicted when written; training it again, uninterrupted or resumed from its step-2 checkpoint, gives the
 * same model; its dictionary export is written byte for byte the same. A refactoring must keep all of this.
 */
class RecipeCompatibilityTest {
    /** Float32 kernels may sum in another order on another CPU or thread count; outputs must agree to this. */
    private static final double TOLERANCE = 1e-5;

    static Stream<String> recipes() {
        return RecipeFixtures.RECIPES.keySet().stream();
    }

    private static Path fixture(String name) throws URISyntaxException {
        var url = RecipeCompatibilityTest.class.getResource("/" + RecipeFixtures.RESOURCE_FOLDER + "/" + name);
        assertTrue(url != null, "no fixture for " + name + ": write it with RecipeFixtureWriter");
        return Path.of(url.toURI());
    }

    @org.junit.jupiter.api.Test
    void everyBuiltInRecipeResolvesToTheOptionsItHadBeforeRecipesWereFiles() throws Exception {
        List<String> expected = Files.readAllLines(fixture("resolved-settings.txt"));
        List<String> actual = RecipeFixtures.resolvedSettings().lines().toList();
        assertEquals(expected.size(), actual.size(), "lines of resolved-settings.txt");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void theModelFileLoadsAndPredictsAsRecorded(String name) throws Exception {
        UsaeModel model;
        try (InputStream in = Files.newInputStream(fixture(name).resolve("model.usae"))) {
            model = assertInstanceOf(UsaeModel.class, Model.deserializeFromStream(in));
        }
        assertSamePredictions(name, RecipeFixtures.read(fixture(name).resolve("expected.json")),
                RecipeFixtures.predictions(model));

        // its provenance re-creates its trainer, which trains the same model again
        com.oracle.labs.mlrg.olcut.config.ConfigurationManager cm = new com.oracle.labs.mlrg.olcut.config.ConfigurationManager();
        cm.addConfiguration(com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil.extractConfiguration(
                model.getProvenance().getTrainerProvenance()));
        UsaeTrainer trainer = cm.lookupAll(UsaeTrainer.class).get(0);
        assertEquals(RecipeFixtures.RECIPES.get(name).get("recipe"), trainer.recipe());
        assertSamePredictions(name + ", trained by the trainer its provenance re-creates",
                RecipeFixtures.read(fixture(name).resolve("expected.json")),
                RecipeFixtures.predictions(trainer.train(RecipeFixtures.data())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void trainingAgainGivesTheSameModelUninterruptedAndResumed(String name, @TempDir Path tmp) throws Exception {
        JsonNode expected = RecipeFixtures.read(fixture(name).resolve("expected.json"));
        UsaeModel fresh = RecipeFixtures.trainer(name).train(RecipeFixtures.data());
        assertSamePredictions(name + ", trained again", expected, RecipeFixtures.predictions(fresh));

        Path copy = Files.createDirectories(tmp.resolve("run")).resolve(CheckpointFiles.fileName(RecipeFixtures.CHECKPOINT_STEP));
        Files.copy(fixture(name).resolve(copy.getFileName().toString()), copy);
        UsaeModel resumed = RecipeFixtures.trainer(name).train(RecipeFixtures.data(),
                CheckpointOptions.in(copy.getParent()).resumeFrom(copy));
        assertSamePredictions(name + ", resumed from step " + RecipeFixtures.CHECKPOINT_STEP, expected,
                RecipeFixtures.predictions(resumed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void theDictionaryExportIsWrittenTheSame(String name, @TempDir Path tmp) throws Exception {
        UsaeModel model;
        try (InputStream in = Files.newInputStream(fixture(name).resolve("model.usae"))) {
            model = (UsaeModel) Model.deserializeFromStream(in);
        }
        DictionaryExport.write(model, tmp.resolve("export"));
        Path frozen = fixture(name).resolve("export");
        List<Path> files;
        try (Stream<Path> s = Files.walk(frozen)) {
            files = s.filter(Files::isRegularFile).map(frozen::relativize).sorted().toList();
        }
        List<Path> written;
        try (Stream<Path> s = Files.walk(tmp.resolve("export"))) {
            written = s.filter(Files::isRegularFile).map(tmp.resolve("export")::relativize).sorted().toList();
        }
        assertEquals(files, written, name + ": the export's files");
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(frozen.resolve(f)), Files.readAllBytes(tmp.resolve("export").resolve(f)),
                    name + ": " + f);
        }
    }

    private static void assertSamePredictions(String what, JsonNode expected, JsonNode actual) {
        assertEquals(expected.get("architecture"), actual.get("architecture"), what);
        for (int i = 0; i < expected.get("models").size(); i++) {
            JsonNode e = expected.get("models").get(i);
            JsonNode a = actual.get("models").get(i);
            String where = what + ", model " + e.get("name").asText();
            assertEquals(e.get("indices"), a.get("indices"), where + " code indices");
            assertClose(e.get("values"), a.get("values"), where + " code values");
            assertClose(e.get("reconstruction"), a.get("reconstruction"), where + " reconstruction");
            assertEquals(e.get("joint_indices"), a.get("joint_indices"), where + " joint code indices");
            assertClose(e.get("joint_values"), a.get("joint_values"), where + " joint code values");
            for (int t = 0; t < e.get("joint_decoded").size(); t++) {
                assertClose(e.get("joint_decoded").get(t), a.get("joint_decoded").get(t), where + " decoded into model " + t);
            }
        }
    }

    private static void assertClose(JsonNode expected, JsonNode actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int q = 0; q < expected.size(); q++) {
            double e = expected.get(q).asDouble();
            assertEquals(e, actual.get(q).asDouble(), TOLERANCE * Math.max(1, Math.abs(e)), what + " [" + q + "]");
        }
    }
}
