package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads fixtures written by numpy 2.4 (np.save and np.lib.format.write_array(version=(2,0)/(3,0)))
 * and checks exact values and every validation message.
 */
class NpyReadTest {
    @TempDir
    Path tmp;

    @Test
    void readsFloat32ExactlyForEveryHeaderVersion() {
        for (String f : new String[]{"f4.npy", "v2.npy", "v3.npy"}) {
            try (NpyArray a = Npy.openActivations(Fixtures.npy(f))) {
                assertEquals(3, a.rows(), f);
                assertEquals(4, a.cols(), f);
                assertEquals(DType.FLOAT32, a.dtype(), f);
                float[] all = new float[12];
                a.readRows(new long[]{0, 1, 2}, all);
                assertArrayEquals(Fixtures.f4Values(), all, f);
                float[] row = new float[6];
                a.readRow(2, row, 1);
                assertArrayEquals(new float[]{0, 2.75f, 3.25f, 3.75f, 4.25f, 0}, row, f);
            }
        }
        try (NpyArray v1 = Npy.openActivations(Fixtures.npy("f4.npy"));
             NpyArray v2 = Npy.openActivations(Fixtures.npy("v2.npy"))) {
            assertEquals(128, v1.header().dataOffset());
            assertEquals(128, v2.header().dataOffset());
        }
    }

    @Test
    void readsFloat16WithSpecialValues() {
        try (NpyArray a = Npy.openActivations(Fixtures.npy("f2.npy"))) {
            assertEquals(DType.FLOAT16, a.dtype());
            float[] v = new float[12];
            a.readRows(new long[]{0, 1, 2}, v);
            assertEquals(0f, v[0]);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[1]));
            assertEquals(1f, v[2]);
            assertEquals(-2f, v[3]);
            assertEquals(65504f, v[4]);
            assertEquals(0x1p-14f, v[5]);   // smallest normal half
            assertEquals(0x1p-24f, v[6]);   // smallest subnormal half
            assertEquals(-0x1p-24f, v[7]);
            assertEquals(Float.POSITIVE_INFINITY, v[8]);
            assertEquals(Float.NEGATIVE_INFINITY, v[9]);
            assertTrue(Float.isNaN(v[10]));
            assertEquals(0.333251953125f, v[11]);
        }
    }

    @Test
    void readsInt64() {
        try (NpyArray a = NpyArray.open(Fixtures.npy("i8.npy"), Npy.INDEX_DTYPES)) {
            assertEquals(4, a.rows());
            assertEquals(2, a.cols());
            assertEquals(7, a.getLong(2, 0));
            assertEquals(-1, a.getLong(3, 0));
            assertEquals(Long.MAX_VALUE, a.getLong(3, 1));
            assertEquals(1, a.getLong(1, 1));
        }
    }

    @Test
    void rowsStraddlingRegionsAreReadInPieces() {
        // 24-byte regions with 16-byte rows: row 1 (bytes 16..32) straddles the first boundary.
        try (NpyArray a = NpyArray.open(Fixtures.npy("f4.npy"), Npy.ACTIVATION_DTYPES, 24)) {
            float[] all = new float[12];
            a.readRows(new long[]{0, 1, 2}, all);
            assertArrayEquals(Fixtures.f4Values(), all);
        }
        // float16 across several 8-byte regions.
        try (NpyArray a = NpyArray.open(Fixtures.npy("f2.npy"), Npy.ACTIVATION_DTYPES, 8)) {
            float[] row = new float[4];
            a.readRow(1, row, 0);
            assertArrayEquals(new float[]{65504f, 0x1p-14f, 0x1p-24f, -0x1p-24f}, row);
        }
    }

    @Test
    void unsupportedDtypesNameFileFoundAndExpected() {
        for (String[] c : new String[][]{{"f8.npy", "'<f8'"}, {"be_f4.npy", "'>f4'"}, {"i4.npy", "'<i4'"}, {"i8.npy", "'<i8'"}}) {
            ActivationSetException e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(Fixtures.npy(c[0])));
            assertTrue(e.getMessage().contains(c[0]), e.getMessage());
            assertTrue(e.getMessage().contains("unsupported dtype " + c[1]), e.getMessage());
            assertTrue(e.getMessage().contains("'<f2'") && e.getMessage().contains("'<f4'"), e.getMessage());
        }
    }

    @Test
    void fortranOrderAndRankAreRejected() {
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(Fixtures.npy("fortran.npy")));
        assertTrue(e.getMessage().contains("fortran.npy") && e.getMessage().contains("fortran_order is True"), e.getMessage());
        e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(Fixtures.npy("rank1.npy")));
        assertTrue(e.getMessage().contains("rank1.npy") && e.getMessage().contains("rank 1"), e.getMessage());
    }

    @Test
    void truncatedAndOversizedFilesAreRejected() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.npy("f4.npy"));
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(good, good.length - 3));
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(cut));
        assertTrue(e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated: expected 176 bytes, found 173"), e.getMessage());
        Path big = tmp.resolve("big.npy");
        Files.write(big, Arrays.copyOf(good, good.length + 4));
        e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(big));
        assertTrue(e.getMessage().contains("big.npy") && e.getMessage().contains("expected 176 bytes, found 180"), e.getMessage());
    }

    @Test
    void corruptHeadersAreRejected() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.npy("f4.npy"));
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertMessage("magic.npy", magic, "bad magic");
        byte[] dict = good.clone();
        dict[10] = '[';
        assertMessage("dict.npy", dict, "corrupt header");
        byte[] noShape = good.clone();
        String s = new String(noShape, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'shape'", "'shap_'");
        assertMessage("noshape.npy", s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "'shape'");
        byte[] version = good.clone();
        version[6] = 9;
        assertMessage("version.npy", version, "unsupported .npy version 9.0");
        assertMessage("short.npy", new byte[]{1, 2, 3}, "too short");
        byte[] len = good.clone();
        len[8] = (byte) 0xFF;
        len[9] = (byte) 0xFF;
        assertMessage("len.npy", len, "corrupt header");
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(tmp.resolve("absent.npy")));
        assertTrue(e.getMessage().contains("absent.npy") && e.getMessage().contains("not found"), e.getMessage());
    }

    private void assertMessage(String name, byte[] bytes, String problem) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> Npy.openActivations(p));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void outOfRangeRowsAndClosedArraysFail() {
        NpyArray a = Npy.openActivations(Fixtures.npy("f4.npy"));
        assertThrows(IndexOutOfBoundsException.class, () -> a.readRow(3, new float[4], 0));
        a.close();
        assertThrows(IllegalStateException.class, () -> a.readRow(0, new float[4], 0));
    }
}
