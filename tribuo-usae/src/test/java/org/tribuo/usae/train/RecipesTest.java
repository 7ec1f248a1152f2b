package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.sae.SparsityKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recipe registry: built-in recipe files, user recipe files, and one-line errors for bad ones. */
class RecipesTest {
    /** ALIGNED's file with one option changed and another name. */
    private static Path variant(Path dir, String name, String option, String from, String to) throws Exception {
        String text = Recipes.text("aligned").replace("value=\"ALIGNED\"", "value=\"" + name + "\"")
                .replace("name=\"" + option + "\" value=\"" + from + "\"", "name=\"" + option + "\" value=\"" + to + "\"");
        Path file = dir.resolve(name.toLowerCase(java.util.Locale.ROOT) + ".xml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void everyBuiltInRecipeLoadsUnderItsNameInAnyCase() {
        assertEquals(List.of("ALIGNED", "FAITHFUL", "SPARC", "FAST", "AFFINE_FAST", "BATCH_TOPK", "MATRYOSHKA"),
                Recipes.names());
        assertEquals(Recipes.DEFAULT, Recipes.names().get(0));
        for (String name : Recipes.names()) {
            Recipe r = Recipes.get(name.toLowerCase(java.util.Locale.ROOT));
            assertEquals(name, r.name());
            assertFalse(r.description().isBlank(), name);
            assertSame(r, Recipes.get(name), "built-in recipes are loaded once");
        }
    }

    @Test
    void aRecipeFileOfOneOwnIsUsedWhereARecipeNameIs(@TempDir Path tmp) throws Exception {
        Path file = variant(tmp, "GLOBAL_ALIGNED", "sparsity", "TOPK", "GLOBAL_TOPK");
        UsaeTrainer t = ConfiguredTrainers.of(Map.of("recipe", file.toString(), "steps", "10"));
        TrainingSettings s = t.settingsFor(new int[]{8, 8}, 100);
        assertEquals(SparsityKind.GLOBAL_TOPK, s.architecture().sparsity());
        assertEquals(Recipes.get("ALIGNED").learningRate(), s.learningRate());
        assertEquals(file.toString(), t.recipe());

        // the provenance holds every resolved option, so it re-creates the trainer without the file
        Files.delete(file);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(t.getProvenance()));
        UsaeTrainer again = (UsaeTrainer) cm.lookupAll(UsaeTrainer.class).get(0);
        assertEquals(s.toString(), again.settingsFor(new int[]{8, 8}, 100).toString());
    }

    @Test
    void aSetOptionWinsOverItsRecipe() {
        assertEquals(7, ConfiguredTrainers.of(Map.of("recipe", "faithful", "k", "7", "steps", "1")).settingsFor(new int[]{8}, 10)
                .architecture().k());
        assertEquals("FAITHFUL", ConfiguredTrainers.of(Map.of("recipe", "faithful", "steps", "1")).recipe());
    }

    @Test
    void badRecipesFailInOneLineNamingTheRecipeOrFile(@TempDir Path tmp) throws Exception {
        PropertyException unknown = assertThrows(PropertyException.class,
                () -> ConfiguredTrainers.of(Map.of("recipe", "fastest", "steps", "1")));
        assertTrue(unknown.getMessage().contains("recipe 'fastest' is neither a built-in recipe (ALIGNED, FAITHFUL, "
                + "SPARC, FAST, AFFINE_FAST, BATCH_TOPK, MATRYOSHKA, any case) nor a recipe file"), unknown.getMessage());

        Path missing = tmp.resolve("missing.xml");
        Files.writeString(missing, Recipes.text("sparc").replaceAll("\\s*<property name=\"auxK\"[^>]*/>", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipes.get(missing.toString()));
        assertTrue(e.getMessage().startsWith("recipe file " + missing + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("auxK"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        Path unknownOption = tmp.resolve("typo.xml");
        Files.writeString(unknownOption, Recipes.text("sparc").replace("name=\"auxK\"", "name=\"auxKK\""));
        e = assertThrows(IllegalArgumentException.class, () -> Recipes.get(unknownOption.toString()));
        assertTrue(e.getMessage().startsWith("recipe file " + unknownOption + ": "), e.getMessage());

        Path two = tmp.resolve("two.xml");
        String sparc = Recipes.text("sparc");
        String component = sparc.substring(sparc.indexOf("<component"), sparc.indexOf("</config>"));
        Files.writeString(two, sparc.replace("</config>", component.replace("name=\"recipe\"", "name=\"other\"")
                + "</config>"));
        e = assertThrows(IllegalArgumentException.class, () -> Recipes.get(two.toString()));
        assertEquals("recipe file " + two + ": expected one component of type org.tribuo.usae.train.Recipe, found 2",
                e.getMessage());

        Path bad = variant(tmp, "BAD", "k", "32", "0");
        e = assertThrows(IllegalArgumentException.class, () -> Recipes.get(bad.toString()));
        assertTrue(e.getMessage().contains("k, batchSize and deadSteps must be >= 1"), e.getMessage());
    }

    @Test
    void aRecipeBuiltInCodeTrainsAndItsProvenanceRecreatesTheTrainerWithoutIt() {
        Recipe mine = Recipes.get("ALIGNED").derive("ALIGNED_GLOBAL", "ALIGNED with global TopK")
                .sparsity(SparsityKind.GLOBAL_TOPK).learningRate(1e-3).k(5).build();
        assertEquals("ALIGNED_GLOBAL", mine.name());
        assertEquals(Recipes.get("ALIGNED").batchSize(), mine.batchSize());
        UsaeTrainer t = new UsaeTrainer(mine, 10, 4);
        TrainingSettings s = t.settingsFor(new int[]{8, 8}, 100);
        assertEquals(SparsityKind.GLOBAL_TOPK, s.architecture().sparsity());
        assertEquals(5, s.architecture().k());
        assertEquals(1e-3, s.learningRate());
        assertEquals("ALIGNED_GLOBAL", t.recipe());

        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(t.getProvenance()));
        UsaeTrainer again = cm.lookupAll(UsaeTrainer.class).get(0);
        assertEquals(s.toString(), again.settingsFor(new int[]{8, 8}, 100).toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipes.get("SPARC").derive("BROKEN", "k 0").k(0).build());
        assertTrue(e.getMessage().startsWith("recipe BROKEN: k, batchSize and deadSteps must be >= 1"), e.getMessage());
    }

    @Test
    void optionNamesAreTheTrainersConfigFieldsAndAnUnknownOneFailsInOneLine() {
        List<String> names = TrainerOptionChecks.names();
        assertTrue(names.containsAll(List.of("recipe", "k", "sharedK", "biasInit", "learningRate", "seed")), names.toString());
        // every option a recipe sets is a trainer option of the same name
        for (java.lang.reflect.Field f : Recipe.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(com.oracle.labs.mlrg.olcut.config.Config.class)
                    && !List.of("name", "description").contains(f.getName())) {
                assertTrue(names.contains(f.getName()), "recipe option " + f.getName() + " is not a trainer option");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerOptionChecks.require("learningrate", "--set"));
        assertTrue(e.getMessage().startsWith("--set: 'learningrate' is not a trainer option; expected one of recipe, "),
                e.getMessage());
        // values are checked against the option's type where they were typed
        TrainerOptionChecks.requireValue("learningRate", "3e-3", "--set");
        TrainerOptionChecks.requireValue("sparsity", "BATCH_TOPK", "--set");
        TrainerOptionChecks.requireValue("ortReducedPrecision", "TRUE", "--set");
        assertEquals("--set: k='eight' is not an integer (trainer option k)", assertThrows(IllegalArgumentException.class,
                () -> TrainerOptionChecks.requireValue("k", "eight", "--set")).getMessage());
        assertEquals("--set: learningRate='fast' is not a number (trainer option learningRate)",
                assertThrows(IllegalArgumentException.class,
                        () -> TrainerOptionChecks.requireValue("learningRate", "fast", "--set")).getMessage());
        IllegalArgumentException sparsity = assertThrows(IllegalArgumentException.class,
                () -> TrainerOptionChecks.requireValue("sparsity", "batch_topk", "--set"));
        assertTrue(sparsity.getMessage().startsWith("--set: sparsity='batch_topk' is not one of [TOPK, GLOBAL_TOPK,"),
                sparsity.getMessage());
    }
}
