package org.tribuo.usae.train;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.InMemoryActivationSet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint envelope validation, fallback to the previous valid checkpoint, and write failures. */
class CheckpointFileTest {
    private static InMemoryActivationSet set;

    @BeforeAll
    static void data() {
        set = TinyTraining.set(7);
    }

    private static Path trainWithCheckpoints(Path dir, long steps) {
        TinyTraining.trainer(steps, 2, 0).train(set, CheckpointOptions.in(dir));
        return dir.resolve(CheckpointFiles.fileName(steps));
    }

    @Test
    void roundTripsEveryField(@TempDir Path tmp) {
        Path f = trainWithCheckpoints(tmp, 6);
        TrainingCheckpoint c = CheckpointFiles.read(f);
        TrainingCheckpoint again = CheckpointFiles.fromProto(CheckpointFiles.toProto(c));
        CheckpointResumeTest.assertSameState(c, again);
        assertEquals(6, c.globalStep());
        assertEquals(c.settings(), again.settings());
        assertTrue(c.trainerConfig().contains("checkpointEverySteps"), c.trainerConfig());
        assertEquals(List.of("a", "b"), c.modelNames());
        assertArrayEquals(c.modelDims(), again.modelDims());
    }

    @Test
    void truncatedPaddedOrBitFlippedFilesAreRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Path f = trainWithCheckpoints(tmp.resolve("ck"), 4);
        byte[] good = Files.readAllBytes(f);
        SplittableRandom r = new SplittableRandom(3);
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(Arrays.copyOf(good, 10));
        bad.add(Arrays.copyOf(good, CheckpointFiles.HEADER));
        bad.add(Arrays.copyOf(good, good.length - 1));
        bad.add(Arrays.copyOf(good, good.length + 3));
        for (int i = 0; i < 20; i++) {
            byte[] flipped = good.clone();
            int at = r.nextInt(flipped.length);
            flipped[at] ^= (byte) (1 << r.nextInt(8));
            bad.add(flipped);
        }
        for (byte[] b : bad) {
            Path p = tmp.resolve(CheckpointFiles.fileName(1));
            Files.write(p, b);
            CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.read(p));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
        Path p = tmp.resolve("wrongversion.usaeckpt");
        byte[] v2 = good.clone();
        v2[11] = 2;
        Files.write(p, v2);
        assertTrue(assertThrows(CheckpointException.class, () -> CheckpointFiles.read(p)).getMessage().contains("version 2"));
    }

    @Test
    void corruptNewestFallsBackToThePreviousValidOneAndSaysSo(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoints");
        Path newest = trainWithCheckpoints(dir, 6);
        assertEquals(List.of(newest, dir.resolve(CheckpointFiles.fileName(4)), dir.resolve(CheckpointFiles.fileName(2))),
                CheckpointFiles.list(dir));
        byte[] b = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(b, b.length / 2));
        List<String> warnings = new ArrayList<>();
        CheckpointFiles.Loaded l = CheckpointFiles.resolve(tmp, warnings::add);   // an output folder with checkpoints/
        assertEquals(dir.resolve(CheckpointFiles.fileName(4)), l.file());
        assertEquals(4, l.checkpoint().globalStep());
        assertTrue(warnings.get(0).contains(newest.toString()) && warnings.get(0).contains("truncated"), warnings.toString());
        assertTrue(warnings.get(1).contains("newest valid checkpoint"), warnings.toString());
        // an explicitly named corrupt file is an error, not a fallback
        assertThrows(CheckpointException.class, () -> CheckpointFiles.resolve(newest, warnings::add));
        // the resumed run from the fallback ends where an uninterrupted one does
        TinyTraining.trainer(6, 2, 0).train(set, CheckpointOptions.in(dir).resumeFrom(dir));
        CheckpointResumeTest.assertSameState(CheckpointFiles.read(trainWithCheckpoints(tmp.resolve("ref"), 6)),
                CheckpointFiles.read(newest));
    }

    @Test
    void resumingWithDifferentSettingsIsRefused(@TempDir Path tmp) {
        Path dir = tmp.resolve("ck");
        trainWithCheckpoints(dir, 4);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TinyTraining.trainer(8, 2, 0).train(set, CheckpointOptions.in(dir).resumeFrom(dir)));
        assertTrue(e.getMessage().contains("another run") && e.getMessage().contains("the settings differ (steps=4 vs 8)"),
                e.getMessage());
    }

    @Test
    void diskFullMidWriteKeepsThePreviousCheckpointAndNamesTheFile(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ck");
        trainWithCheckpoints(dir, 8);
        // as if the run had died after step 4
        Files.delete(dir.resolve(CheckpointFiles.fileName(8)));
        Files.delete(dir.resolve(CheckpointFiles.fileName(6)));
        Path previous = dir.resolve(CheckpointFiles.fileName(4));
        byte[] before = Files.readAllBytes(previous);
        // a store whose disk fills up after 100 bytes of the next checkpoint
        CheckpointStore full = CheckpointStore.withChannel(ch -> new WritableByteChannel() {
            long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written >= 100) {
                    throw new IOException("No space left on device");
                }
                ByteBuffer part = src.slice();
                part.limit((int) Math.min(part.remaining(), 100 - written));
                int n = ch.write(part);
                src.position(src.position() + n);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        });
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TinyTraining.trainer(8, 2, 0).train(set, CheckpointOptions.in(dir).resumeFrom(dir).withStore(full)));
        Path failed = dir.resolve(CheckpointFiles.fileName(6));
        assertTrue(e.getMessage().contains("Could not write checkpoint " + failed) && e.getMessage().contains("No space left"),
                e.getMessage());
        assertTrue(e.getMessage().contains("previous checkpoint " + previous + " is intact"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(previous));
        CheckpointFiles.read(previous);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temp files left");
        }
    }

    /** The data and trainer {@code checkpoint-formats/MakeCheckpointFixture.java.txt} wrote the fixtures with. */
    static InMemoryActivationSet fixtureSet() {
        return TinyTraining.set(7, 64);
    }

    static UsaeTrainer fixtureTrainer() {
        com.oracle.labs.mlrg.olcut.config.ConfigurationManager cm = new com.oracle.labs.mlrg.olcut.config.ConfigurationManager();
        com.oracle.labs.mlrg.olcut.config.ConfigurationData cd =
                new com.oracle.labs.mlrg.olcut.config.ConfigurationData("trainer", UsaeTrainer.class.getName());
        String[][] f = {{"recipe", "FAITHFUL"}, {"steps", "4"}, {"numLatents", "8"}, {"k", "2"}, {"batchSize", "16"},
                {"seed", "11"}, {"checkpointEverySteps", "2"}, {"holdOutFraction", "0"}};
        for (String[] kv : f) {
            cd.add(kv[0], new com.oracle.labs.mlrg.olcut.config.property.SimpleProperty(kv[1]));
        }
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    static Path fixture(String name) throws Exception {
        return Path.of(CheckpointFileTest.class.getResource("/checkpoint-formats/" + name).toURI());
    }

    /**
     * Every checkpoint format ever written still loads: format 1 (no data fingerprint) and format 2,
     * both written by the same run at step 2, so they must hold the same state; format 1 resumes with
     * a warning that its data cannot be checked, format 2 resumes only on its own data.
     */
    @Test
    void checkpointsOfEveryFormatVersionLoadAndResume(@TempDir Path tmp) throws Exception {
        TrainingCheckpoint v1 = CheckpointFiles.read(fixture("ckpt-format1.usaeckpt"));
        TrainingCheckpoint v2 = CheckpointFiles.read(fixture("ckpt-format2.usaeckpt"));
        assertEquals(2, v1.globalStep());
        assertEquals("", v1.dataFingerprint());
        assertEquals(org.tribuo.usae.data.DataFingerprint.of(fixtureSet()), v2.dataFingerprint());
        CheckpointResumeTest.assertSameState(v1, v2);
        for (String name : List.of("ckpt-format1.usaeckpt", "ckpt-format2.usaeckpt")) {
            Path copy = Files.createDirectories(tmp.resolve(name)).resolve(CheckpointFiles.fileName(2));
            Files.copy(fixture(name), copy);
            List<String> lines = new ArrayList<>();
            fixtureTrainer().train(fixtureSet(), CheckpointOptions.in(copy.getParent()).resumeFrom(copy).logTo(lines::add));
            assertEquals(name.contains("format1"), lines.stream().anyMatch(l -> l.contains("(format 1)")), lines.toString());
            CheckpointResumeTest.assertSameState(CheckpointFiles.read(trainFixture(tmp.resolve("ref-" + name))),
                    CheckpointFiles.read(copy.resolveSibling(CheckpointFiles.fileName(4))));
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> fixtureTrainer().train(TinyTraining.set(7),
                CheckpointOptions.in(tmp.resolve("x")).resumeFrom(fixture("ckpt-format2.usaeckpt"))));
        assertTrue(e.getMessage().contains("ckpt-format2.usaeckpt"), e.getMessage());
    }

    private static Path trainFixture(Path dir) {
        fixtureTrainer().train(fixtureSet(), CheckpointOptions.in(dir));
        return dir.resolve(CheckpointFiles.fileName(4));
    }
}
