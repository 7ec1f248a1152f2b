package org.tribuo.usae.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes one {@code [rows x cols]} .npy (float32 or int64) to any output stream, header first, so
 * it needs neither seeking nor renaming: the target can be an HDFS or S3 object. The row count is
 * declared up front and {@link #finish()} fails unless exactly that many rows were written.
 * Counts the bytes and hashes the data section (SHA-256, as {@link Manifest} and
 * {@link ShardedManifest} record it). Does not close the stream.
 */
public final class NpyStreamWriter {
    private static final int BUFFER_BYTES = 1 << 16;

    private final String target;
    private final OutputStream out;
    private final DType dtype;
    private final long rows;
    private final int cols;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageDigest md = Sha256.newDigest();
    private long written;
    private long bytes;

    /** What was written. @param rows rows. @param bytes file size, header included. @param sha256 hex hash of the data section. */
    public record Written(long rows, long bytes, String sha256) {
    }

    private NpyStreamWriter(String target, OutputStream out, DType dtype, long rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new ActivationSetException(target + ": shape (" + rows + ", " + cols + ") is empty; expected at least one row and column");
        }
        this.target = target;
        this.out = out;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        byte[] header = NpyHeader.encode(dtype, rows, cols, NpyHeader.WRITER_HEADER_BYTES);
        write(header, header.length);
    }

    /**
     * @param target name of the destination, for messages.
     * @param out    the stream (left open).
     * @param rows   rows that will be written.
     * @param cols   row width.
     * @return a float32 writer; the header is already written.
     */
    public static NpyStreamWriter float32(String target, OutputStream out, long rows, int cols) {
        return new NpyStreamWriter(target, out, DType.FLOAT32, rows, cols);
    }

    /** Same as {@link #float32} for an int64 array. @param target name. @param out stream. @param rows rows. @param cols width. @return the writer. */
    public static NpyStreamWriter int64(String target, OutputStream out, long rows, int cols) {
        return new NpyStreamWriter(target, out, DType.INT64, rows, cols);
    }

    /** @param src row-major values. @param offset first value. @param n rows ({@code n * cols} values). */
    public void writeRows(float[] src, int offset, int n) {
        require(DType.FLOAT32, n);
        int len = n * cols;
        for (int i = 0; i < len; i++) {
            if (buf.remaining() < Float.BYTES) {
                drain(true);
            }
            buf.putFloat(src[offset + i]);
        }
        written += n;
    }

    /** @param src row-major values. @param offset first value. @param n rows ({@code n * cols} values). */
    public void writeRows(long[] src, int offset, int n) {
        require(DType.INT64, n);
        int len = n * cols;
        for (int i = 0; i < len; i++) {
            if (buf.remaining() < Long.BYTES) {
                drain(true);
            }
            buf.putLong(src[offset + i]);
        }
        written += n;
    }

    /**
     * Flushes buffered rows.
     * @return size and hash.
     * @throws ActivationSetException naming the target if fewer rows were written than declared.
     */
    public Written finish() {
        if (written != rows) {
            throw new ActivationSetException(target + ": " + written + " rows written but the header declares " + rows);
        }
        drain(true);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot flush", e);
        }
        return new Written(rows, bytes, HexFormat.of().formatHex(md.digest()));
    }

    private void require(DType expected, int n) {
        if (dtype != expected) {
            throw new IllegalStateException(target + ": a " + dtype.descr() + " writer cannot take " + expected.descr() + " rows");
        }
        if (written + n > rows) {
            throw new ActivationSetException(target + ": " + (written + n) + " rows would exceed the declared " + rows);
        }
    }

    private void drain(boolean data) {
        buf.flip();
        if (data) {
            md.update(buf.duplicate());
        }
        write(buf.array(), buf.limit());
        buf.clear();
    }

    private void write(byte[] b, int len) {
        try {
            out.write(b, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write", e);
        }
        bytes += len;
    }
}
