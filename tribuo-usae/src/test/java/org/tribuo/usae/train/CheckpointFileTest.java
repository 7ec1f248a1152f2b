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
        return dir.resolve(Checkpoints.fileName(steps));
    }

    @Test
    void roundTripsEveryField(@TempDir Path tmp) {
        Path f = trainWithCheckpoints(tmp, 6);
        TrainingCheckpoint c = Checkpoints.read(f);
        TrainingCheckpoint again = Checkpoints.fromProto(Checkpoints.toProto(c));
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
        bad.add(Arrays.copyOf(good, Checkpoints.HEADER));
        bad.add(Arrays.copyOf(good, good.length - 1));
        bad.add(Arrays.copyOf(good, good.length + 3));
        for (int i = 0; i < 20; i++) {
            byte[] flipped = good.clone();
            int at = r.nextInt(flipped.length);
            flipped[at] ^= (byte) (1 << r.nextInt(8));
            bad.add(flipped);
        }
        for (byte[] b : bad) {
            Path p = tmp.resolve(Checkpoints.fileName(1));
            Files.write(p, b);
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.read(p));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
        Path p = tmp.resolve("wrongversion.usaeckpt");
        byte[] v2 = good.clone();
        v2[11] = 2;
        Files.write(p, v2);
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoints.read(p)).getMessage().contains("version 2"));
    }

    @Test
    void corruptNewestFallsBackToThePreviousValidOneAndSaysSo(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoints");
        Path newest = trainWithCheckpoints(dir, 6);
        assertEquals(List.of(newest, dir.resolve(Checkpoints.fileName(4)), dir.resolve(Checkpoints.fileName(2))),
                Checkpoints.list(dir));
        byte[] b = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(b, b.length / 2));
        List<String> warnings = new ArrayList<>();
        Checkpoints.Loaded l = Checkpoints.resolve(tmp, warnings::add);   // an output folder with checkpoints/
        assertEquals(dir.resolve(Checkpoints.fileName(4)), l.file());
        assertEquals(4, l.checkpoint().globalStep());
        assertTrue(warnings.get(0).contains(newest.toString()) && warnings.get(0).contains("truncated"), warnings.toString());
        assertTrue(warnings.get(1).contains("previous valid checkpoint"), warnings.toString());
        // an explicitly named corrupt file is an error, not a fallback
        assertThrows(CheckpointException.class, () -> Checkpoints.resolve(newest, warnings::add));
        // the resumed run from the fallback ends where an uninterrupted one does
        TinyTraining.trainer(6, 2, 0).train(set, CheckpointOptions.in(dir).resumeFrom(dir));
        CheckpointResumeTest.assertSameState(Checkpoints.read(trainWithCheckpoints(tmp.resolve("ref"), 6)),
                Checkpoints.read(newest));
    }

    @Test
    void resumingWithDifferentSettingsIsRefused(@TempDir Path tmp) {
        Path dir = tmp.resolve("ck");
        trainWithCheckpoints(dir, 4);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TinyTraining.trainer(8, 2, 0).train(set, CheckpointOptions.in(dir).resumeFrom(dir)));
        assertTrue(e.getMessage().contains("different settings"), e.getMessage());
    }

    @Test
    void diskFullMidWriteKeepsThePreviousCheckpointAndNamesTheFile(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ck");
        Path previous = trainWithCheckpoints(dir, 4);
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
                () -> TinyTraining.trainer(8, 2, 0).train(set, CheckpointOptions.in(dir).withStore(full)));
        Path failed = dir.resolve(Checkpoints.fileName(2));
        assertTrue(e.getMessage().contains("Could not write checkpoint " + failed) && e.getMessage().contains("No space left"),
                e.getMessage());
        assertTrue(e.getMessage().contains("previous checkpoint " + previous + " is intact"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(previous));
        Checkpoints.read(previous);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temp files left");
        }
    }
}
