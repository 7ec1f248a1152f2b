package org.tribuo.usae.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the current format version's fixture and its expected predictions. Not a regular test
 * (it runs only when asked), because a committed fixture must stay what the code of its version wrote:
 * {@code mvn -o -pl tribuo-usae test -Dtest=ModelFormatFixtureWriter
 * -Dusae.writeModelFixture=src/test/resources/model-formats}.
 */
class ModelFormatFixtureWriter {
    @Test
    @EnabledIfSystemProperty(named = "usae.writeModelFixture", matches = ".+")
    void writeCurrentVersionFixture() throws Exception {
        Path folder = Files.createDirectories(Path.of(System.getProperty("usae.writeModelFixture")));
        UsaeModel model = ModelFormatFixtures.trainTiny();
        model.serializeToFile(folder.resolve(ModelFormatFixtures.modelFileName(UsaeModel.CURRENT_VERSION)));
        ModelFormatFixtures.write(ModelFormatFixtures.predictions(model),
                folder.resolve(ModelFormatFixtures.expectedFileName(UsaeModel.CURRENT_VERSION)));
    }
}
