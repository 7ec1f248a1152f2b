package org.tribuo.usae.examples;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.train.UsaeTrainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java snippet compiles against the library: its lines are {@link #snippet}'s (between the markers), and
 * the test checks that the README holds them verbatim. (It runs as the {@code train} and {@code encode} examples do;
 * 10,000 steps are the snippet's, too many for a test.)
 */
class ReadmeSnippetTest {
    @SuppressWarnings("unused")
    static void snippet(float[] x, int n) throws Exception {
        // README snippet begin
        UsaeTrainer trainer = new UsaeTrainer("ALIGNED", 10_000, 42L);        // a recipe by name, or an OLCUT config file
        try (ActivationSet acts = ActivationSets.open(Path.of("acts"))) {     // <model>.npy per network, float32 rows
            UsaeModel model = trainer.train(acts);                            // a Tribuo Model with its provenance
            SparseCodes codes = model.encode(model.indexOf("alpha"), x, n);   // [n x k] values and concept ids
            float[] beta = model.decode(codes, model.indexOf("beta"));        // alpha's concepts reconstruct beta
            ModelFiles.save(model, Path.of("model.usae"));
        }
        // README snippet end
    }

    @Test
    void theReadmeSnippetIsThisCode() throws Exception {
        Path root = Path.of("..");
        List<String> source = Files.readAllLines(root.resolve(
                "examples/src/test/java/org/tribuo/usae/examples/ReadmeSnippetTest.java"));
        int from = source.indexOf("        // README snippet begin") + 1;
        int to = source.indexOf("        // README snippet end");
        StringBuilder snippet = new StringBuilder();
        for (String line : source.subList(from, to)) {
            snippet.append(line.substring(8)).append('\n');
        }
        assertTrue(Files.readString(root.resolve("README.md")).contains("```java\n" + snippet + "```"),
                "README's Java block must be:\n" + snippet);
    }
}
