package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.DataFingerprint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILLs a child JVM that checkpoints after every step at seeded random moments; after each kill
 * every checkpoint file must load and pass its checksum, the newest must never go backwards, and
 * training must resume from it. Finally the chain of killed-and-resumed runs must equal an
 * uninterrupted run bit for bit.
 */
class CheckpointKillTest {
    static final int KILLS = 12;

    @Test
    void sigkillNeverLeavesACorruptCheckpointOrLosesTheLastGoodOne(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("checkpoints");
        SplittableRandom r = new SplittableRandom(2024);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long newest = -1;
        int killedMidWrite = 0;
        long t0 = System.nanoTime();
        for (int kill = 0; kill < KILLS; kill++) {
            Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), KillTestMain.class.getName(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + kill + ".log").toFile()).start();
            long before = newest;
            // wait for the child to write past the previous newest, then kill it at a random moment
            killAfter(p, () -> newestStep(dir) > before, r.nextInt(120), tmp.resolve("child-" + kill + ".log"));
            List<Path> files = CheckpointFiles.list(dir);
            assertFalse(files.isEmpty(), "kill " + kill + " left no checkpoint");
            for (Path f : files) {
                CheckpointFiles.read(f);      // throws if truncated or corrupt
            }
            long now = CheckpointFiles.stepOf(files.get(0));
            assertTrue(now > newest, "newest checkpoint went from step " + newest + " to " + now);
            newest = now;
            try (Stream<Path> s = Files.list(dir)) {
                long temps = s.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
                assertTrue(temps <= 1, temps + " temp files: stale ones must be removed on start");
                killedMidWrite += (int) temps;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("CheckpointKillTest: %d kills in %.1f s, newest step %d, %d kills left a temp file (mid-write)%n",
                KILLS, seconds, newest, killedMidWrite);

        // resume the newest for one more step, and compare the whole chain with an uninterrupted run
        Path resumedDir = tmp.resolve("resumed");
        StopSignal stop = new StopSignal();
        long target = newest + 1;
        UsaeTrainer resumed = TinyTraining.trainer(KillTestMain.STEPS, 1, 0);
        resumed.addListener(s -> {
            if (s.step() == target) {
                stop.request();
            }
        });
        try {
            resumed.train(TinyTraining.set(7), CheckpointOptions.in(resumedDir).resumeFrom(dir).stopOn(stop));
            fail("expected a stop");
        } catch (TrainingStoppedException e) {
            assertEquals(target, e.step());
        }
        Path refDir = tmp.resolve("uninterrupted");
        StopSignal stop2 = new StopSignal();
        UsaeTrainer ref = TinyTraining.trainer(KillTestMain.STEPS, 0, 0);
        ref.addListener(s -> {
            if (s.step() == target) {
                stop2.request();
            }
        });
        try {
            ref.train(TinyTraining.set(7), CheckpointOptions.in(refDir).stopOn(stop2));
            fail("expected a stop");
        } catch (TrainingStoppedException e) {
            assertEquals(target, e.step());
        }
        CheckpointResumeTest.assertSameState(CheckpointFiles.read(refDir.resolve(CheckpointFiles.fileName(target))),
                CheckpointFiles.read(resumedDir.resolve(CheckpointFiles.fileName(target))));
    }

    /**
     * The reused-folder case: a folder holds a finished run on other data; a new run is refused
     * there unless told to overwrite, and then, SIGKILLed at random moments and resumed, the folder
     * only ever holds the new run's checkpoints and resumes only them.
     */
    @Test
    void sigkillInAReusedFolderNeverMixesRunsAndResumesOnlyTheNewOne(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("checkpoints");
        TinyTraining.trainer(40, 1, 0).train(TinyTraining.set(7), CheckpointOptions.in(dir));   // the old run, steps 38-40 kept
        String oldData = DataFingerprint.of(TinyTraining.set(7));
        String newData = DataFingerprint.of(TinyTraining.set(8));
        CheckpointException refused = assertThrows(CheckpointException.class,
                () -> TinyTraining.trainer(KillTestMain.STEPS, 1, 0).train(TinyTraining.set(8), CheckpointOptions.in(dir)));
        assertTrue(refused.getMessage().contains("another run") && refused.getMessage().contains("the data differ"),
                refused.getMessage());
        SplittableRandom r = new SplittableRandom(17);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long newest = -1;
        for (int kill = 0; kill < 4; kill++) {
            Path log = tmp.resolve("reuse-child-" + kill + ".log");
            Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), KillTestMain.class.getName(), dir.toString(), "8",
                    kill == 0 ? "overwrite" : "resume")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long before = newest;
            killAfter(p, () -> newestStepOf(dir, newData) > before, r.nextInt(80), log);
            for (Path f : CheckpointFiles.list(dir)) {
                assertEquals(newData, CheckpointFiles.read(f).dataFingerprint(), f + " after kill " + kill + " is not the new run's");
            }
            newest = newestStepOf(dir, newData);
        }
        CheckpointFiles.Loaded resumed = CheckpointFiles.resolve(dir, identityOf(dir), s -> { });
        assertEquals(newest, resumed.checkpoint().globalStep());
        assertNotEquals(oldData, resumed.checkpoint().dataFingerprint());
        CheckpointException other = assertThrows(CheckpointException.class, () -> TinyTraining.trainer(KillTestMain.STEPS, 1, 0)
                .train(TinyTraining.set(7), CheckpointOptions.in(tmp.resolve("elsewhere")).resumeFrom(dir)));
        assertTrue(other.getMessage().contains("the data differ"), other.getMessage());
    }

    /**
     * Waits (at most 20 s) until the child has made progress, then another {@code extraMillis}, then
     * SIGKILLs it; fails with the child's log if it exits first.
     */
    private static void killAfter(Process p, java.util.function.BooleanSupplier progressed, long extraMillis, Path log)
            throws Exception {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!progressed.getAsBoolean()) {
                if (!p.isAlive()) {
                    fail("child exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("child wrote no new checkpoint in 20 s");
                }
                Thread.sleep(5);
            }
            Thread.sleep(extraMillis);
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
    }

    /** @return the identity of the newest checkpoint in the folder. */
    private static RunIdentity identityOf(Path dir) {
        return CheckpointFiles.read(CheckpointFiles.list(dir).get(0)).identity();
    }

    /** The newest step among the folder's checkpoints of the given data, or -1 (files may vanish while read). */
    private static long newestStepOf(Path dir, String dataFingerprint) {
        try {
            for (Path f : CheckpointFiles.list(dir)) {
                if (CheckpointFiles.read(f).dataFingerprint().equals(dataFingerprint)) {
                    return CheckpointFiles.stepOf(f);
                }
            }
        } catch (RuntimeException e) {
            // pruned or being created between the listing and the read: look again
        }
        return -1;
    }

    private static long newestStep(Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(CheckpointFiles.list(dir));
        } catch (RuntimeException e) {
            return -1;   // the folder is being created
        }
        return files.isEmpty() ? -1 : CheckpointFiles.stepOf(files.get(0));
    }

}
