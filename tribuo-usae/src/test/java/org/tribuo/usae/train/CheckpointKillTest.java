package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            try {
                // wait for the child to write past the previous newest, then kill it at a random moment
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (newestStep(dir) <= newest) {
                    if (!p.isAlive()) {
                        fail("child exited with " + p.exitValue() + ": " + Files.readString(tmp.resolve("child-" + kill + ".log")));
                    }
                    if (System.nanoTime() > deadline) {
                        fail("child wrote no checkpoint in 20 s");
                    }
                    Thread.sleep(5);
                }
                Thread.sleep(r.nextInt(120));
            } finally {
                p.destroyForcibly();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            }
            List<Path> files = Checkpoints.list(dir);
            assertFalse(files.isEmpty(), "kill " + kill + " left no checkpoint");
            for (Path f : files) {
                Checkpoints.read(f);      // throws if truncated or corrupt
            }
            long now = Checkpoints.stepOf(files.get(0));
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
        CheckpointResumeTest.assertSameState(Checkpoints.read(refDir.resolve(Checkpoints.fileName(target))),
                Checkpoints.read(resumedDir.resolve(Checkpoints.fileName(target))));
    }

    private static long newestStep(Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(Checkpoints.list(dir));
        } catch (RuntimeException e) {
            return -1;   // the folder is being created
        }
        return files.isEmpty() ? -1 : Checkpoints.stepOf(files.get(0));
    }

}
