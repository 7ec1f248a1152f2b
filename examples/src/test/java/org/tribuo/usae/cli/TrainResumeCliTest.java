package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.CheckpointFiles;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tribuo.usae.cli.UsaeCliTest.Run;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

/** {@code usae train --resume}: checkpoints in the output folder, exact resume, corrupt-file errors. */
class TrainResumeCliTest {
    private static String[] args(Path data, Path out, String... extra) {
        String[] base = {"train", "-d", data.toString(), "-o", out.toString(), "--recipe", "faithful", "--steps", "40",
                "--latents", "64", "-k", "6", "--batch-size", "128", "--hold-out", "0.1", "--seed", "5"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void resumedRunMatchesTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path data = UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 2000);
        Path full = tmp.resolve("full");
        Run a = usae(args(data, full, "--checkpoint-every", "10"));
        assertEquals(0, a.code(), a.err());
        Path run = tmp.resolve("run");
        Run b = usae(args(data, run, "--checkpoint-every", "10", "--checkpoint-keep", "0"));
        assertEquals(0, b.code(), b.err());
        assertEquals(4, CheckpointFiles.list(run.resolve("checkpoints")).size());
        // as if the run had died after step 20
        Files.delete(run.resolve("checkpoints").resolve(CheckpointFiles.fileName(40)));
        Files.delete(run.resolve("checkpoints").resolve(CheckpointFiles.fileName(30)));
        Files.delete(run.resolve("model.usae"));
        Run c = usae(args(data, run, "--checkpoint-every", "10", "--checkpoint-keep", "0", "--resume", run.toString()));
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("Resuming from " + run.resolve("checkpoints").resolve(CheckpointFiles.fileName(20))), c.out());
        UsaeModel x = (UsaeModel) Model.deserializeFromFile(full.resolve("model.usae"));
        UsaeModel y = (UsaeModel) Model.deserializeFromFile(run.resolve("model.usae"));
        for (int i = 0; i < x.parameters().numModels(); i++) {
            ModelParameters p = x.parameters().model(i);
            for (String t : p.trainable().keySet()) {
                assertArrayEquals(p.get(t), y.parameters().model(i).get(t), t);
            }
        }

        // a corrupt checkpoint named explicitly is refused with its name
        Path ck = run.resolve("checkpoints").resolve(CheckpointFiles.fileName(40));
        byte[] bytes = Files.readAllBytes(ck);
        bytes[bytes.length - 7] ^= 0x10;
        Files.write(ck, bytes);
        Run d = usae(args(data, tmp.resolve("other"), "--resume", ck.toString()));
        assertEquals(2, d.code());
        assertTrue(d.err().contains(ck.toString()) && d.err().contains("checksum"), d.err());
        // different settings are refused
        Run e = usae(args(data, tmp.resolve("other"), "--resume", full.toString(), "--lr", "1e-3"));
        assertEquals(2, e.code());
        assertTrue(e.err().contains("another run") && e.err().contains("the settings differ (learningRate="), e.err());
    }
}
