package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A float32 file whose data spans more than 2^31 bytes, made sparse with setLength so it costs no
 * disk. Rows of 1000 floats (4000 bytes) straddle the 1 GiB region boundaries.
 */
class LargeFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsRowsBeyondTwoGigabytesAndAcrossRegions() throws IOException {
        int cols = 1000;
        long rowBytes = 4L * cols;
        long rows = (1L << 31) / rowBytes + 5; // data > 2^31 bytes
        Path p = tmp.resolve("huge.npy");
        byte[] header = NpyHeader.encode(DType.FLOAT32, rows, cols, 128);
        long straddle = (1L << 31) / rowBytes;       // starts before 2^31, ends after it
        long straddle1 = (1L << 30) / rowBytes;      // across the first 1 GiB boundary
        long last = rows - 1;
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.write(header);
            raf.setLength(128 + rows * rowBytes);
            for (long r : new long[]{straddle1, straddle, last}) {
                raf.seek(128 + r * rowBytes);
                raf.write(rowBytes(r, cols));
            }
        }
        assertTrue(straddle * rowBytes < (1L << 31) && (straddle + 1) * rowBytes > (1L << 31));
        try (NpyArray a = Npy.openActivations(p)) {
            assertEquals(rows, a.rows());
            float[] got = new float[3 * cols];
            a.readRows(new long[]{straddle1, straddle, last}, got);
            float[] want = new float[3 * cols];
            int i = 0;
            for (long r : new long[]{straddle1, straddle, last}) {
                System.arraycopy(values(r, cols), 0, want, i, cols);
                i += cols;
            }
            assertArrayEquals(want, got);
            float[] hole = new float[cols];
            a.readRow(last - 1, hole, 0);
            assertArrayEquals(new float[cols], hole);
        }
        // @TempDir deletes the file.
    }

    private static float[] values(long r, int cols) {
        float[] v = new float[cols];
        for (int c = 0; c < cols; c++) {
            v[c] = r + c / 1024f;
        }
        return v;
    }

    private static byte[] rowBytes(long r, int cols) {
        ByteBuffer b = ByteBuffer.allocate(4 * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values(r, cols)) {
            b.putFloat(v);
        }
        return b.array();
    }
}
