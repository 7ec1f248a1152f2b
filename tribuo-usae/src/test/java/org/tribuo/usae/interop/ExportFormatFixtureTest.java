package org.tribuo.usae.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The export formats stay readable and stable: a committed export of the version-1 model fixture
 * ({@code export-formats/saelens-1/}, written by the code that introduced the format) imports back to exactly that
 * model, and today's export of the same model writes the same tensors and the same configuration. Regenerate only
 * with a new format name: {@code mvn -o -pl tribuo-usae test -Dtest=ExportFormatFixtureTest
 * -Dusae.writeExportFixture=src/test/resources/export-formats/saelens-1}.
 */
class ExportFormatFixtureTest {
    static Path resource(String rel) {
        try {
            return Path.of(ExportFormatFixtureTest.class.getResource("/" + rel).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static UsaeModel fixtureModel() {
        return ModelFiles.load(resource("model-formats/usae-model-v1.usae"));
    }

    @Test
    @EnabledIfSystemProperty(named = "usae.writeExportFixture", matches = ".+")
    void writeFixture() {
        SaeLensExport.write(fixtureModel(), Path.of(System.getProperty("usae.writeExportFixture")));
    }

    @Test
    @EnabledIfSystemProperty(named = "usae.writeNpyExportFixture", matches = ".+")
    void writeNpyFixture() {
        org.tribuo.usae.model.DictionaryExport.write(fixtureModel(), Path.of(System.getProperty("usae.writeNpyExportFixture")));
    }

    /** The .npy export ({@code tribuo-usae npy export 1}) is read by Python users: today's must equal the committed one. */
    @Test
    void todaysNpyExportWritesTheSameFiles(@TempDir Path tmp) throws Exception {
        org.tribuo.usae.model.DictionaryExport.write(fixtureModel(), tmp);
        sameFiles(resource("export-formats/npy-1"), tmp);
    }

    @Test
    void theCommittedExportImportsToTheModelItCameFrom() {
        UsaeModel model = fixtureModel();
        UsaeModel back = DictionaryImport.saeLensExport(resource("export-formats/saelens-1"));
        assertEquals(model.parameters().architecture(), back.parameters().architecture());
        for (int i = 0; i < model.parameters().numModels(); i++) {
            ModelParameters a = model.parameters().model(i);
            ModelParameters b = back.parameters().model(i);
            for (String t : a.trainable().keySet()) {
                assertArrayEquals(a.get(t), b.get(t), t);
            }
            assertEquals(a.mu(), b.mu());
            assertEquals(a.sigma(), b.sigma());
        }
    }

    @Test
    void todaysExportWritesTheSameFiles(@TempDir Path tmp) throws Exception {
        SaeLensExport.write(fixtureModel(), tmp);
        sameFiles(resource("export-formats/saelens-1"), tmp);
    }

    private static void sameFiles(Path fixture, Path tmp) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (var files = Files.walk(fixture)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = fixture.relativize(f);
                Path now = tmp.resolve(rel.toString());
                if (f.toString().endsWith(".json")) {
                    assertEquals(mapper.readValue(f.toFile(), Map.class), mapper.readValue(now.toFile(), Map.class), rel.toString());
                } else {
                    assertEquals(true, Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(now)), rel + " differs");
                }
            }
        }
    }
}
