package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written here were checked once with numpy 2.4 outside CI:
 * {@code np.load(p)} gives the same shape and values, and {@code np.lib.format.read_magic} +
 * {@code read_array_header_1_0} accept the header.
 */
class NpyWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesNumpyIdenticalBytes() throws IOException {
        // Same array and header layout as numpy's np.save of the fixture: byte-identical file.
        Path p = tmp.resolve("f4.npy");
        Npy.writeFloat32(p, Fixtures.f4Values(), 3, 4);
        assertArrayEquals(Files.readAllBytes(Fixtures.npy("f4.npy")), Files.readAllBytes(p));
        Path q = tmp.resolve("i8.npy");
        Npy.writeInt64(q, new long[]{0, 0, 0, 1, 7, 0, -1, Long.MAX_VALUE}, 4, 2);
        assertArrayEquals(Files.readAllBytes(Fixtures.npy("i8.npy")), Files.readAllBytes(q));
    }

    @Test
    void streamsRowsWithoutKnowingTheCount() throws IOException {
        Path p = tmp.resolve("s.npy");
        NpyWriter w = NpyWriter.float32(p, 3);
        float[] all = new float[3 * 5000];
        for (int r = 0; r < 5000; r++) {
            float[] row = {r, -r, r * 0.25f};
            System.arraycopy(row, 0, all, 3 * r, 3);
            w.writeRows(row, 0, 1);
        }
        assertFalse(Files.exists(p), "target must not exist before close");
        w.close();
        try (NpyArray a = Npy.openActivations(p)) {
            assertEquals(5000, a.rows());
            assertEquals(128, a.header().dataOffset());
            float[] back = new float[all.length];
            long[] ids = new long[5000];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            a.readRows(ids, back);
            assertArrayEquals(all, back);
            assertEquals(w.sha256(), a.sha256());
        }
        assertEquals(Sha256.ofFloats(all), w.sha256());
        assertNoTempFiles();
    }

    @Test
    void abortLeavesNoTargetAndNoTempFile() throws IOException {
        Path p = tmp.resolve("a.npy");
        NpyWriter w = NpyWriter.float32(p, 2);
        w.writeRows(new float[]{1, 2, 3, 4}, 0, 2);
        assertTrue(Files.exists(w.tempFile()));
        w.abort();
        assertFalse(Files.exists(p));
        assertNoTempFiles();
        w.close(); // no-op after abort: must not resurrect a target
        assertFalse(Files.exists(p));
        assertThrows(IllegalStateException.class, () -> w.writeRows(new float[2], 0, 1));
    }

    @Test
    void abortedRewriteKeepsThePreviousTargetIntact() throws IOException {
        Path p = tmp.resolve("keep.npy");
        Npy.writeFloat32(p, new float[]{9, 8}, 1, 2);
        byte[] before = Files.readAllBytes(p);
        NpyWriter w = NpyWriter.float32(p, 2);
        w.writeRows(new float[]{1, 2, 3, 4}, 0, 2);
        w.abort();
        assertArrayEquals(before, Files.readAllBytes(p));
        assertNoTempFiles();
    }

    @Test
    void failedCommitLeavesNoTempFile() throws IOException {
        // The rename fails because the target is a non-empty folder: a real I/O failure at commit.
        Path p = tmp.resolve("blocked.npy");
        Files.createDirectories(p.resolve("child"));
        NpyWriter w = NpyWriter.float32(p, 2);
        w.writeRows(new float[]{1, 2}, 0, 1);
        ActivationSetException e = assertThrows(ActivationSetException.class, w::close);
        assertTrue(e.getMessage().contains("blocked.npy") && e.getMessage().contains("failed to commit"), e.getMessage());
        assertTrue(Files.isDirectory(p.resolve("child")));
        assertNoTempFiles();
    }

    @Test
    void wrongDtypeAndBadShapeAreRejected() throws IOException {
        NpyWriter w = NpyWriter.int64(tmp.resolve("x.npy"), 2);
        assertThrows(IllegalArgumentException.class, () -> w.writeRows(new float[2], 0, 1));
        w.abort();
        ActivationSetException e = assertThrows(ActivationSetException.class,
                () -> Npy.writeFloat32(tmp.resolve("bad.npy"), new float[5], 2, 3));
        assertTrue(e.getMessage().contains("bad.npy") && e.getMessage().contains("[2 x 3]"), e.getMessage());
        assertThrows(ActivationSetException.class, () -> NpyWriter.float32(tmp.resolve("w.npy"), 0));
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.filter(f -> f.getFileName().toString().contains(".tmp-")).count());
        }
    }
}
