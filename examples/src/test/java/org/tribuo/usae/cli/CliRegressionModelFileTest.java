package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, case 9: the seed in model.usae's stored provenance was edited with a hex editor (same
 * length, other digits) and {@code usae info} loaded it and showed the edited seed. Every command
 * must now refuse the file in one line that names it.
 */
class CliRegressionModelFileTest {
    static final String CORRUPT = ": corrupt model: the SHA-256 of its payload (provenance and parameters) does not "
            + "match; the file was changed after it was written";

    /*
     * indexOfOnce and seedDigits repeat UsaeModelIntegrityTest's in tribuo-usae: the modules share no
     * test code (no test-jar), and a pom change for two helpers would reach every other build.
     */

    /** @return where needle occurs in haystack, asserting that it occurs exactly once. */
    static int indexOfOnce(byte[] haystack, byte[] needle) {
        // ISO-8859-1 maps each byte to one char, so string offsets are byte offsets
        String h = new String(haystack, StandardCharsets.ISO_8859_1);
        int at = h.indexOf(new String(needle, StandardCharsets.ISO_8859_1));
        assertTrue(at >= 0 && at == h.lastIndexOf(new String(needle, StandardCharsets.ISO_8859_1)), "not once: " + at);
        return at;
    }

    /**
     * Where the seed's digits are in a model file, found as a hex-editor user finds them: the
     * provenance key "seed" (protobuf field 2, length 4), then the value string (field 3, its length) after it.
     */
    static int seedDigits(byte[] model) {
        byte[] key = {0x12, 0x04, 's', 'e', 'e', 'd', 0x1a};
        return indexOfOnce(model, key) + key.length + 1;
    }

    @Test
    void editedSeedDigitsInTheProvenanceAreRefusedByInfoAndEval(@TempDir Path tmp) throws Exception {
        Path data = UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 400);
        UsaeCliTest.Run train = UsaeCliTest.usae("train", "-d", data.toString(), "-o", tmp.resolve("run").toString(),
                "--steps", "3", "--latents", "64", "-k", "4", "--batch-size", "64", "--seed", "73911");
        assertEquals(0, train.code(), train.err());
        Path model = tmp.resolve("run/model.usae");
        UsaeCliTest.Run before = UsaeCliTest.usae("info", "-m", model.toString());
        assertEquals(0, before.code(), before.err());
        assertTrue(before.out().contains("seed = 73911"), before.out());

        byte[] bytes = Files.readAllBytes(model);
        int at = seedDigits(bytes);
        assertEquals("73911", new String(bytes, at, 5, StandardCharsets.US_ASCII));
        bytes[at + 4] = '2';
        Files.write(model, bytes);

        String[][] commands = {{"info", "-m", model.toString()}, {"info", "-m", tmp.resolve("run").toString()},
                {"eval", "-m", model.toString(), "-d", data.toString()}};
        for (String[] command : commands) {
            UsaeCliTest.Run r = UsaeCliTest.usae(command);
            assertEquals(2, r.code(), r.out() + r.err());
            // one line, naming the model file (also when the command was given its folder)
            assertEquals("usae " + command[0] + ": error: " + model + CORRUPT, r.err().strip());
            assertFalse(r.out().contains("73912"), "the edited seed is not shown: " + r.out());
        }
    }
}
