package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The positional-read path returns bit-for-bit the floats of the memory-mapped path, for random row
 * sets (repeats included) over float32 and float16 files with v1, v2 and v3 headers, single-file and
 * sharded sets, and a mapped reference whose rows straddle region boundaries.
 */
class NpyReadModeTest {
    @TempDir
    Path tmp;

    /**
     * Writes a C-order .npy with the given header version and raw little-endian data bytes.
     * The dict is padded with spaces so the data starts at a multiple of 64, as numpy does.
     */
    static void writeRaw(Path f, int major, String descr, long rows, int cols, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int prefix = major == 1 ? 10 : 12;
        int len = dict.length() + 1; // + newline
        int padded = ((prefix + len + 63) / 64) * 64 - prefix;
        String header = dict + " ".repeat(padded - len) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) padded);
        } else {
            b.putInt(padded);
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        Files.write(f, b.array());
    }

    /** Random bytes: for float16 every bit pattern appears (NaNs, infinities, subnormals); float32 stays finite. */
    static byte[] randomData(Random rng, String descr, long rows, int cols) {
        int item = descr.equals("<f2") ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate((int) (rows * cols * item)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (item == 2) {
                b.putShort((short) rng.nextInt(1 << 16));
            } else {
                b.putFloat((float) rng.nextGaussian() * 3);
            }
        }
        return b.array();
    }

    static long[] randomRows(Random rng, long rows, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (long) (rng.nextDouble() * rows); // repeats likely for n > sqrt(rows)
        }
        return ids;
    }

    /** Exact equality including NaN payloads and signed zeros. */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " mapped " + expected[i] + " positional " + actual[i]);
            }
        }
    }

    @Test
    void positionalEqualsMappedForEveryDtypeAndHeaderVersion() throws IOException {
        Random rng = new Random(11);
        for (String descr : new String[]{"<f4", "<f2"}) {
            for (int major = 1; major <= 3; major++) {
                long rows = 37;
                int cols = 13; // odd width: float16 rows start at odd 2-byte offsets
                Path f = tmp.resolve("a" + descr.charAt(2) + "v" + major + ".npy");
                writeRaw(f, major, descr, rows, cols, randomData(rng, descr, rows, cols));
                String what = descr + " v" + major;
                try (NpyArray mapped = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.MMAP);
                     NpyArray straddling = NpyArray.open(f, Npy.ACTIVATION_DTYPES, 24); // rows cross 24-byte regions
                     NpyArray pread = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.PREAD)) {
                    assertEquals(NpyReadMode.PREAD, pread.mode());
                    assertEquals(NpyReadMode.MMAP, mapped.mode());
                    assertEquals(mapped.header(), pread.header(), what);
                    for (int trial = 0; trial < 5; trial++) {
                        long[] ids = randomRows(rng, rows, 1 + rng.nextInt(60));
                        float[] m = new float[ids.length * cols];
                        float[] s = new float[ids.length * cols];
                        float[] p = new float[ids.length * cols];
                        mapped.readRows(ids, m);
                        straddling.readRows(ids, s);
                        pread.readRows(ids, p);
                        assertSameBits(m, s, what + " straddling");
                        assertSameBits(m, p, what + " positional");
                    }
                    assertEquals(mapped.sha256(), pread.sha256(), what);
                }
            }
        }
    }

    @Test
    void consecutiveRowsReadInRunsEqualTheMapping() throws IOException {
        Random rng = new Random(5);
        for (String descr : new String[]{"<f4", "<f2"}) {
            long rows = 6000;
            int cols = 13; // 6000 x 13 float32 rows are 312 KB: more than one 256 KiB positional read
            Path f = tmp.resolve("runs" + descr.charAt(2) + ".npy");
            writeRaw(f, 1, descr, rows, cols, randomData(rng, descr, rows, cols));
            long[] all = java.util.stream.LongStream.range(0, rows).toArray();
            long[] mixed = {3, 4, 5, 10, 11, 2, 3, 3, 5999, 0, 1};
            try (NpyArray mapped = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.MMAP);
                 NpyArray pread = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.PREAD)) {
                for (long[] ids : new long[][]{all, mixed}) {
                    float[] m = new float[ids.length * cols];
                    float[] p = new float[ids.length * cols];
                    mapped.readRows(ids, m);
                    pread.readRows(ids, p);
                    assertSameBits(m, p, descr + " " + ids.length + " rows");
                }
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> pread.readRows(new long[]{5998, 5999, 6000}, new float[3 * cols]));
                assertEquals(f + ": row 6000 outside [0, 6000)", e.getMessage());
            }
        }
        // a run of consecutive set rows crossing shard boundaries reads each shard's part
        Path dir = tmp.resolve("sharded-runs");
        ShardedFixture.write(dir, List.of("a"), new int[]{3}, new long[]{5, 7, 3});
        try (ShardedActivationSet pread = ShardedActivationSet.open(dir, NpyReadMode.PREAD)) {
            float[] x = new float[15 * 3];
            pread.readRows(0, java.util.stream.LongStream.range(0, 15).toArray(), x);
            for (int r = 0; r < 15; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(ShardedFixture.value(0, r, c), x[r * 3 + c], "row " + r + " column " + c);
                }
            }
        }
    }

    @Test
    void numpyFixturesReadTheSameBothWays() {
        for (String f : new String[]{"f4.npy", "v2.npy", "v3.npy", "f2.npy"}) {
            try (NpyArray mapped = NpyArray.open(Fixtures.npy(f), Npy.ACTIVATION_DTYPES, NpyReadMode.MMAP);
                 NpyArray pread = NpyArray.open(Fixtures.npy(f), Npy.ACTIVATION_DTYPES, NpyReadMode.PREAD)) {
                long[] ids = {2, 0, 2, 1};
                float[] m = new float[16];
                float[] p = new float[16];
                mapped.readRows(ids, m);
                pread.readRows(ids, p);
                assertSameBits(m, p, f);
                assertEquals(mapped.sha256(), pread.sha256(), f);
            }
        }
        try (NpyArray pread = NpyArray.open(Fixtures.npy("i8.npy"), Npy.INDEX_DTYPES, NpyReadMode.PREAD)) {
            // same values NpyReadTest.readsInt64 checks through the mapping
            assertEquals(7, pread.getLong(2, 0));
            assertEquals(-1, pread.getLong(3, 0));
            assertEquals(Long.MAX_VALUE, pread.getLong(3, 1));
            assertEquals(1, pread.getLong(1, 1));
        }
    }

    @Test
    void singleFileSetsMatchAcrossModes() throws IOException {
        Random rng = new Random(5);
        Path dir = Files.createDirectories(tmp.resolve("set"));
        long rows = 50;
        writeRaw(dir.resolve("a.npy"), 1, "<f4", rows, 7, randomData(rng, "<f4", rows, 7));
        writeRaw(dir.resolve("b.npy"), 2, "<f2", rows, 5, randomData(rng, "<f2", rows, 5));
        long[] index = new long[(int) rows * 2];
        for (int r = 0; r < rows; r++) {
            index[2 * r] = r / 3;
            index[2 * r + 1] = r % 3;
        }
        Npy.writeInt64(dir.resolve(NpyActivationSet.ROW_INDEX_FILE), index, (int) rows, 2);
        try (NpyActivationSet mapped = NpyActivationSet.open(dir, NpyReadMode.MMAP);
             NpyActivationSet pread = NpyActivationSet.open(dir, NpyReadMode.PREAD)) {
            assertSetsMatch(mapped, pread, rng);
        }
    }

    @Test
    void shardedSetsMatchAcrossModes() {
        Random rng = new Random(7);
        Path dir = tmp.resolve("sharded");
        ShardedFixture.write(dir, List.of("a", "b"), new int[]{6, 3}, new long[]{5, 7, 3});
        try (ShardedActivationSet mapped = ShardedActivationSet.open(dir, NpyReadMode.MMAP);
             ShardedActivationSet pread = ShardedActivationSet.open(dir, NpyReadMode.PREAD)) {
            assertSetsMatch(mapped, pread, rng);
            // and both equal the fixture's closed form: row 12 of model 1 at column 2 = 12 + 2/8 + 1/4
            float[] row = new float[3];
            pread.readRows(1, new long[]{12}, row);
            assertEquals(12.5f, row[2]);
        }
    }

    private static void assertSetsMatch(ActivationSet mapped, ActivationSet pread, Random rng) {
        assertEquals(mapped.rows(), pread.rows());
        assertEquals(mapped.provenance(), pread.provenance()); // same hashes either way
        for (int model = 0; model < mapped.numModels(); model++) {
            int d = mapped.dim(model);
            for (int trial = 0; trial < 5; trial++) {
                long[] ids = randomRows(rng, mapped.rows(), 1 + rng.nextInt(40));
                float[] m = new float[ids.length * d];
                float[] p = new float[ids.length * d];
                mapped.readRows(model, ids, m);
                pread.readRows(model, ids, p);
                assertSameBits(m, p, "model " + model);
            }
        }
        RowIndex a = mapped.rowIndex().orElseThrow();
        RowIndex b = pread.rowIndex().orElseThrow();
        for (long r = 0; r < mapped.rows(); r++) {
            assertEquals(a.inputId(r), b.inputId(r), "row " + r);
            assertEquals(a.position(r), b.position(r), "row " + r);
        }
    }

    @Test
    void concurrentPositionalReadsAgreeWithOneThread() throws Exception {
        Random rng = new Random(3);
        Path f = tmp.resolve("c.npy");
        long rows = 200;
        int cols = 31;
        writeRaw(f, 1, "<f4", rows, cols, randomData(rng, "<f4", rows, cols));
        long[][] ids = new long[8][];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = randomRows(rng, rows, 300);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (NpyArray mapped = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.MMAP);
             NpyArray pread = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.PREAD)) {
            @SuppressWarnings("unchecked")
            Future<float[]>[] got = new Future[ids.length];
            for (int t = 0; t < ids.length; t++) {
                long[] mine = ids[t];
                got[t] = pool.submit(() -> {
                    float[] dst = new float[mine.length * cols];
                    pread.readRows(mine, dst);
                    return dst;
                });
            }
            for (int t = 0; t < ids.length; t++) {
                float[] expected = new float[ids[t].length * cols];
                mapped.readRows(ids[t], expected);
                assertSameBits(expected, got[t].get(), "thread task " + t);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closedOrTruncatedFilesFailClearly() throws IOException {
        Path f = tmp.resolve("t.npy");
        writeRaw(f, 1, "<f4", 4, 2, randomData(new Random(1), "<f4", 4, 2));
        NpyArray a = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.PREAD);
        a.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> a.readRow(0, new float[2], 0));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());

        // truncated after opening: the header + 3 of the 4 rows (2 floats = 8 bytes each) remain
        try (NpyArray b = NpyArray.open(f, Npy.ACTIVATION_DTYPES, NpyReadMode.PREAD)) {
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(b.header().dataOffset() + 3 * 8);
            }
            float[] row = new float[2];
            b.readRow(2, row, 0);
            ActivationSetException e = assertThrows(ActivationSetException.class, () -> b.readRow(3, row, 0));
            assertTrue(e.getMessage().contains("t.npy") && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void modePropertyIsParsedAndRejectsOtherValues() {
        String old = System.getProperty(NpyReadMode.PROPERTY);
        try {
            System.clearProperty(NpyReadMode.PROPERTY);
            assertEquals(NpyReadMode.PREAD, NpyReadMode.fromSystemProperty());
            System.setProperty(NpyReadMode.PROPERTY, " MMAP ");
            assertEquals(NpyReadMode.MMAP, NpyReadMode.fromSystemProperty());
            System.setProperty(NpyReadMode.PROPERTY, "pread");
            assertEquals(NpyReadMode.PREAD, NpyReadMode.fromSystemProperty());
            System.setProperty(NpyReadMode.PROPERTY, "mapped");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, NpyReadMode::fromSystemProperty);
            assertTrue(e.getMessage().contains("usae.npyRead") && e.getMessage().contains("'mapped'"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(NpyReadMode.PROPERTY);
            } else {
                System.setProperty(NpyReadMode.PROPERTY, old);
            }
        }
    }
}
