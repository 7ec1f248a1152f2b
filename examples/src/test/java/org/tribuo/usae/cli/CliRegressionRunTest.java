package org.tribuo.usae.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.usae.data.ActivationSetWriter;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.train.CheckpointFiles;
import org.tribuo.usae.train.FolderLock;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tribuo.usae.cli.UsaeCliTest.Run;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

/**
 * Regression suite of issue 17, cases 1-5 and 8: a run's identity (reused output folders, resume
 * on other data, concurrent runs) and its output paths (devices, symlinks, unwritable folders),
 * and the manifest's hashes. Each case is a user's report replayed on real files.
 */
class CliRegressionRunTest {
    /** A plain folder of three models' .npy files from the planted generator with the given seed. */
    static Path data(Path dir, long seed, int rows) throws Exception {
        Files.createDirectories(dir);
        PlantedData d = PlantedConcepts.generate(PlantedOptions.demo().withRows(rows).withSeed(seed));
        for (int i = 0; i < d.numModels(); i++) {
            Npy.writeFloat32(dir.resolve(d.names()[i] + ".npy"), d.x()[i], d.rows(), d.dims()[i]);
        }
        return dir;
    }

    static String[] train(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "-d", data.toString(), "-o", out.toString(), "--steps", "30",
                "--latents", "64", "-k", "4", "--batch-size", "64", "--checkpoint-every", "5", "--seed", "1",
                "--hold-out", "0.1"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** @return every trainable parameter of the folder's model.usae, concatenated (provenance differs by its timestamps). */
    static float[] modelBytes(Path out) throws Exception {
        UsaeModel m = (UsaeModel) Model.deserializeFromFile(out.resolve("model.usae"));
        List<Float> all = new ArrayList<>();
        for (int i = 0; i < m.parameters().numModels(); i++) {
            ModelParameters p = m.parameters().model(i);
            for (String t : p.trainable().keySet()) {
                for (float v : p.get(t)) {
                    all.add(v);
                }
            }
        }
        float[] v = new float[all.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = all.get(i);
        }
        return v;
    }

    static void assertOneLineError(Run r, String... mentions) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "expected '" + m + "' in: " + r.err());
        }
    }

    /** Case 1: a reused output folder never yields the model of the other data. */
    @Test
    void aReusedOutputFolderRefusesAnotherRunsCheckpointsAndResumesOnlyItsOwn(@TempDir Path tmp) throws Exception {
        Path small = data(tmp.resolve("small"), 1, 600);
        Path small2 = data(tmp.resolve("small2"), 2, 600);
        Path x = tmp.resolve("X");
        Run first = usae(train(small, x));
        assertEquals(0, first.code(), first.err());
        float[] modelOfSmall = modelBytes(x);

        // a new run on other data into the same folder: refused before it writes anything
        Run second = usae(train(small2, x));
        assertOneLineError(second, x.resolve("checkpoints").toString(), "another run", "the data differ", "--overwrite");
        assertArrayEquals(modelOfSmall, modelBytes(x));

        // told to start over, it replaces the first run's checkpoints and outputs; then it "dies" after step 15
        Run overwritten = usae(train(small2, x, "--overwrite", "--checkpoint-keep", "0"));
        assertEquals(0, overwritten.code(), overwritten.err());
        float[] modelOfSmall2 = modelBytes(x);
        assertFalse(Arrays.equals(modelOfSmall, modelOfSmall2));
        for (Path f : CheckpointFiles.list(x.resolve("checkpoints"))) {
            if (CheckpointFiles.stepOf(f) > 15) {
                Files.delete(f);
            }
        }
        Files.delete(x.resolve("model.usae"));
        // a checkpoint of the first run, newer than all of this run's, is slipped back in (a folder of an older build)
        Path other = tmp.resolve("other-run");
        assertEquals(0, usae(train(small, other, "--seed", "3")).code());
        Path foreign = x.resolve("checkpoints").resolve(CheckpointFiles.fileName(30));
        Files.copy(other.resolve("checkpoints").resolve(CheckpointFiles.fileName(30)), foreign);

        // resuming names both runs and refuses to write next to the foreign checkpoint
        Run refused = usae(train(small2, x, "--resume", x.toString()));
        assertOneLineError(refused, x.resolve("checkpoints").toString(), "another run", "seed 3", "--overwrite");
        // with --overwrite the foreign checkpoint goes and the run's own newest (step 15) is resumed
        Run resumed = usae(train(small2, x, "--resume", x.toString(), "--overwrite"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("Skipping " + foreign), resumed.out());
        assertTrue(resumed.out().contains("Resuming from " + x.resolve("checkpoints").resolve(CheckpointFiles.fileName(15))
                + " at step 15 of 30"), resumed.out());
        assertArrayEquals(modelOfSmall2, modelBytes(x), "the resumed run must end where the uninterrupted one did");
        assertFalse(Arrays.equals(modelOfSmall, modelBytes(x)));
    }

    /** Case 2: resuming on data of the same shape but other values is refused, naming both runs. */
    @Test
    void resumeOnOtherDataOfTheSameShapeIsRefused(@TempDir Path tmp) throws Exception {
        Path small = data(tmp.resolve("small"), 1, 400);
        Path small2 = data(tmp.resolve("small2"), 2, 400);
        Path x = tmp.resolve("X");
        assertEquals(0, usae(train(small, x)).code());
        Run r = usae(train(small2, tmp.resolve("Y"), "--resume", x.toString()));
        assertOneLineError(r, CheckpointFiles.fileName(30), "another run", "the data differ");
        assertFalse(Files.exists(tmp.resolve("Y/model.usae")));
    }

    /** Case 3: a second run into a folder in use gets a one-line error naming the holder's pid; a dead holder's lock is taken over. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSecondRunIntoAFolderInUseIsRefusedAndADeadRunsLockIsTakenOver(@TempDir Path tmp) throws Exception {
        Path small = data(tmp.resolve("small"), 1, 400);
        Path x = tmp.resolve("X");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Usae.class.getName(), "train", "-d", small.toString(), "-o", x.toString(), "--steps", "100000000",
                "--latents", "64", "-k", "4", "--batch-size", "64", "--seed", "2")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("holder.log").toFile()).start();
        try {
            Path lock = x.resolve(FolderLock.FILE_NAME);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(lock) && Files.readString(lock).contains("pid=" + holder.pid()))) {
                if (!holder.isAlive()) {
                    fail("the holding run exited: " + Files.readString(tmp.resolve("holder.log")));
                }
                if (System.nanoTime() > deadline) {
                    fail("the holding run did not lock its folder in 60 s");
                }
                Thread.sleep(20);
            }
            Run second = usae(train(small, x, "--seed", "1"));
            assertOneLineError(second, x.toString(), "in use by another run", "pid " + holder.pid());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        }
        // kill -9 left the lock file with its pid; the next run takes it over (and must then start over: --overwrite)
        Run after = usae(train(small, x, "--overwrite"));
        assertEquals(0, after.code(), after.err());
        assertTrue(after.out().contains("Took over the lock of " + x + " left by pid " + holder.pid()), after.out());
        assertEquals("", Files.readString(x.resolve(FolderLock.FILE_NAME)), "a finished run leaves the lock file empty");
    }

    /** Case 4: outputs that are devices or symbolic links are refused, never replaced. */
    @Test
    void outputsThatAreDevicesOrSymlinksAreRefusedAndLeftAsTheyAre(@TempDir Path tmp) throws Exception {
        Path small = data(tmp.resolve("small"), 1, 400);
        Path run = tmp.resolve("run");
        assertEquals(0, usae(train(small, run)).code());
        Path target = Files.writeString(tmp.resolve("precious.txt"), "keep me");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), target);
        Run viaLink = usae("eval", "-m", run.toString(), "-d", small.toString(), "--json", link.toString());
        assertOneLineError(viaLink, link.toString(), "symbolic link");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("keep me", Files.readString(target));
        // a symlink where train writes model.usae
        Path out2 = Files.createDirectories(tmp.resolve("run2"));
        Files.createSymbolicLink(out2.resolve("model.usae"), target);
        assertOneLineError(usae(train(small, out2)), "model.usae", "symbolic link");
        assertTrue(Files.isSymbolicLink(out2.resolve("model.usae")));

        Path device = tmp.resolve("null-device");
        Assumptions.assumeTrue(new ProcessBuilder("mknod", device.toString(), "c", "1", "3").start().waitFor() == 0,
                "mknod needs root");
        Run viaDevice = usae("eval", "-m", run.toString(), "-d", small.toString(), "--json", device.toString());
        assertOneLineError(viaDevice, device.toString(), "character device");
        assertEquals("a character device", org.tribuo.usae.data.OutputPaths.kind(device));
        assertFalse(Files.isRegularFile(device, LinkOption.NOFOLLOW_LINKS));
        Path fifo = tmp.resolve("fifo.json");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        assertOneLineError(usae("analyze", "-m", run.toString(), "-d", small.toString(), "--rows", "all", "--json",
                fifo.toString()), fifo.toString(), "named pipe");
    }

    /** Case 5: an output folder that cannot be written is found before any work, and an empty -o is refused. */
    @Test
    void unwritableOrEmptyOutputFoldersAreRefusedBeforeTraining(@TempDir Path tmp) throws Exception {
        Path small = data(tmp.resolve("small"), 1, 400);
        // huge step count: if the check came after training, this test would not finish
        String[] longRun = {"--steps", "100000000", "--checkpoint-every", "0"};
        Run proc = usae(concat(train(small, Path.of("/proc/usae-run")), longRun));
        assertOneLineError(proc, "--output /proc/usae-run", "cannot create files");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertOneLineError(usae(concat(train(small, file), longRun)), "--output " + file, "regular file, expected a folder");
        assertOneLineError(usae(concat(train(small, Path.of("")), longRun)), "--output is empty");
        Path readOnly = Files.createDirectories(tmp.resolve("ro"));
        assertEquals(0, usae(train(small, tmp.resolve("ok"))).code());
        assertOneLineError(usae("export", "-m", tmp.resolve("ok").toString(), "-o", ""), "--output is empty");
        assertTrue(Files.isDirectory(readOnly));
    }

    /** Case 8: train verifies the manifest's sha256 values; --no-verify skips it and says so. */
    @Test
    void trainRefusesAShardWhoseBytesChangedUnlessToldNotToVerify(@TempDir Path tmp) throws Exception {
        Path plain = data(tmp.resolve("plain"), 1, 400);
        Path set = tmp.resolve("with-manifest");
        try (NpyActivationSet src = NpyActivationSet.open(plain)) {
            ActivationSetWriter.write(src, set, 128);
        }
        Path model = set.resolve(Files.list(set).filter(p -> p.toString().endsWith(".npy")).sorted().findFirst()
                .orElseThrow().getFileName());
        byte[] b = Files.readAllBytes(model);
        b[b.length - 3] ^= 0x01;   // one bit of the last value
        Files.write(model, b);
        Run r = usae(train(set, tmp.resolve("out")));
        assertOneLineError(r, model.toString(), "sha256 mismatch");
        assertFalse(Files.exists(tmp.resolve("out/model.usae")));
        Run unchecked = usae(train(set, tmp.resolve("out2"), "--no-verify"));
        assertEquals(0, unchecked.code(), unchecked.err());
        assertTrue(unchecked.out().contains("Not verifying the data (--no-verify)"), unchecked.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
