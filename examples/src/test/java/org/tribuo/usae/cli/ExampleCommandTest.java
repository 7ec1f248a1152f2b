package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code usae example} runs the Java examples by name and says which exist. */
class ExampleCommandTest {
    @Test
    void runsAnExampleByNameAndListsThemOtherwise(@TempDir Path tmp) {
        UsaeCliTest.Run none = UsaeCliTest.usae("example");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("name an example: train <output folder> [steps]; encode <model.usae>"), none.err());
        UsaeCliTest.Run few = UsaeCliTest.usae("example", "report", "m.usae");
        assertEquals("usae example: error: usage: usae example report <model.usae> <activations folder> <report.html>",
                few.err().strip());
        UsaeCliTest.Run audit = UsaeCliTest.usae("example", "audit", tmp.toString(), "20");
        assertEquals(0, audit.code(), audit.err());
    }
}
