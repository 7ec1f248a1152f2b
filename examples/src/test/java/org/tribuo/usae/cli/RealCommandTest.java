package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code usae real} end to end at toy size: real encoders and WordNet, a few glosses, a few steps. */
class RealCommandTest {
    @Test
    void realJobAtToySize(@TempDir Path tmp) throws Exception {
        UsaeCliTest.Run r = UsaeCliTest.usae("real", "-o", tmp.toString(), "--per-supersense", "2", "--steps", "5",
                "--latents", "256", "-k", "8", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("WordNet 3.1: 52 noun glosses"), r.out());
        assertTrue(r.out().contains("x 3 models [minilm, bge, e5]"), r.out());
        assertTrue(r.out().contains("Co-firing on "), r.out());
        for (String f : new String[]{"data/minilm.npy", "data/bge.npy", "data/e5.npy", "data/row_index.npy",
                "data/inputs.tsv", "data/labels.npy", "data/label_names.txt", "model/model.usae", "model/eval.json",
                "model/cofiring.txt", "model/report.html", "model/analysis.json"}) {
            assertTrue(Files.exists(tmp.resolve(f)), f);
        }
        assertEquals(53, Files.readAllLines(tmp.resolve("data/inputs.tsv")).size());
        assertTrue(Files.readString(tmp.resolve("model/report.html")).contains("Top concepts and their top-activating inputs"));
        // a second run into the same folder replaces the data set (label_names.txt included)
        UsaeCliTest.Run again = UsaeCliTest.usae("real", "-o", tmp.toString(), "--per-supersense", "1", "--steps", "3",
                "--latents", "256", "-k", "8", "--threads", "2");
        assertEquals(0, again.code(), again.err());
        assertEquals(27, Files.readAllLines(tmp.resolve("data/inputs.tsv")).size());
        // unknown model: a one-line error
        UsaeCliTest.Run bad = UsaeCliTest.usae("real", "-o", tmp.resolve("x").toString(), "--models", "minilm,gpt");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown text model 'gpt'"), bad.err());
    }
}
