package org.tribuo.usae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

import java.io.ByteArrayInputStream;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every model format version this build has written still loads and predicts what it predicted
 * when its fixture was written (src/test/resources/model-formats, see the README there).
 */
class ModelFormatFixtureTest {
    /** Float32 kernels may sum in another order on another CPU; the codes must agree to this. */
    private static final double TOLERANCE = 1e-5;

    static IntStream everyFormatVersion() {
        return IntStream.rangeClosed(0, UsaeModel.CURRENT_VERSION);
    }

    @ParameterizedTest(name = "format version {0}")
    @MethodSource("everyFormatVersion")
    void fixtureOfTheVersionLoadsAndPredictsAsRecorded(int version) throws Exception {
        byte[] file = ModelFormatFixtures.resource(ModelFormatFixtures.modelFileName(version));
        byte[] expectedFile = ModelFormatFixtures.resource(ModelFormatFixtures.expectedFileName(version));
        assertNotNull(file, "no fixture for model format version " + version + ": write one with ModelFormatFixtureWriter");
        assertNotNull(expectedFile, "no expected predictions for model format version " + version);
        assertEquals(version, ModelProto.parseFrom(file).getVersion(), "the fixture's stored format version");

        UsaeModel model = assertInstanceOf(UsaeModel.class, Model.deserializeFromStream(new ByteArrayInputStream(file)));
        LongProvenance seed = (LongProvenance) model.getProvenance().getTrainerProvenance()
                .getConfiguredParameters().get("seed");
        assertEquals(ModelFormatFixtures.SEED, seed.getValue());

        JsonNode expected = ModelFormatFixtures.parse(expectedFile);
        JsonNode actual = ModelFormatFixtures.predictions(model);
        assertEquals(expected.get("name"), actual.get("name"));
        assertEquals(expected.get("num_latents"), actual.get("num_latents"));
        assertEquals(expected.get("k"), actual.get("k"));
        assertEquals(expected.get("models").size(), actual.get("models").size());
        for (int i = 0; i < expected.get("models").size(); i++) {
            JsonNode e = expected.get("models").get(i);
            JsonNode a = actual.get("models").get(i);
            String where = "model " + e.get("name").asText();
            assertEquals(e.get("name"), a.get("name"), where);
            assertEquals(e.get("dim"), a.get("dim"), where);
            assertEquals(e.get("indices"), a.get("indices"), where + " code indices");
            assertClose(e.get("values"), a.get("values"), where + " code values");
            assertClose(e.get("reconstruction"), a.get("reconstruction"), where + " reconstruction");
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
