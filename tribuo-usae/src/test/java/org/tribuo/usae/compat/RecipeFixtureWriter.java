package org.tribuo.usae.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.train.CheckpointOptions;
import org.tribuo.usae.train.CheckpointFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the recipe fixtures. Not a regular test (it runs only when asked), because a committed fixture must
 * stay what the code of its day wrote: {@code mvn -o -pl tribuo-usae test -Dtest=RecipeFixtureWriter
 * -Dusae.writeRecipeFixtures=src/test/resources/recipe-compat}.
 */
class RecipeFixtureWriter {
    @Test
    @EnabledIfSystemProperty(named = "usae.writeRecipeFixtures", matches = ".+")
    void writeEveryRecipe() throws Exception {
        Path root = Path.of(System.getProperty("usae.writeRecipeFixtures"));
        String only = System.getProperty("usae.recipeFixture", "");
        for (String name : RecipeFixtures.RECIPES.keySet()) {
            if (!only.isEmpty() && !only.equals(name)) {
                continue;
            }
            Path dir = Files.createDirectories(root.resolve(name));
            Path run = Files.createTempDirectory("recipe-fixture");
            UsaeModel model = RecipeFixtures.trainer(name).train(RecipeFixtures.data(), CheckpointOptions.in(run));
            model.serializeToFile(dir.resolve("model.usae"));
            String checkpoint = CheckpointFiles.fileName(RecipeFixtures.CHECKPOINT_STEP);
            Files.copy(run.resolve(checkpoint), dir.resolve(checkpoint), StandardCopyOption.REPLACE_EXISTING);
            DictionaryExport.write(model, dir.resolve("export"));
            RecipeFixtures.write(RecipeFixtures.predictions(model), dir.resolve("expected.json"));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "usae.writeRecipeSettings", matches = ".+")
    void writeEveryRecipesResolvedSettings() throws Exception {
        Files.writeString(Path.of(System.getProperty("usae.writeRecipeSettings")), RecipeFixtures.resolvedSettings());
    }
}
