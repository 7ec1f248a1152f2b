package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Streams rows of a fixed width into a .npy file {@code [rows x cols]} without knowing the row
 * count up front.
 *
 * <p>Rows go to {@code <target>.tmp-<random>} in the target's folder (same file system, so the
 * final rename can be atomic). A 128-byte v1.0 header is reserved and rewritten with the real
 * shape on {@link #close()}, which then fsyncs and renames with ATOMIC_MOVE: readers see either no
 * target or a complete one. {@link #abort()}, or any I/O failure, deletes the temp file.
 *
 * <p>Because {@code close()} commits, use it as
 * {@code try { write...; w.close(); } catch (RuntimeException e) { w.abort(); throw e; }} rather
 * than try-with-resources when the body can fail for reasons of its own.
 *
 * <p>The SHA-256 of the data section is computed while streaming ({@link #sha256()}).
 */
public final class NpyWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path target;
    private final Path temp;
    private final DType dtype;
    private final int cols;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageDigest md = Sha256.newDigest();
    private long rows;
    private String sha256;
    private boolean finished;

    private NpyWriter(Path target, DType dtype, int cols) {
        if (cols < 1) {
            throw new ActivationSetException(target + ": row width must be >= 1, got " + cols);
        }
        this.target = target.toAbsolutePath();
        this.dtype = dtype;
        this.cols = cols;
        this.temp = this.target.resolveSibling(this.target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            this.ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ch.write(ByteBuffer.wrap(NpyHeader.encode(dtype, 0, cols, NpyHeader.WRITER_HEADER_BYTES)));
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new ActivationSetException(target + ": cannot create temp file " + temp + " (" + e + ")", e);
        }
    }

    /**
     * @param target final file.
     * @param cols   row width.
     * @return a float32 writer.
     */
    public static NpyWriter float32(Path target, int cols) {
        return new NpyWriter(target, DType.FLOAT32, cols);
    }

    /**
     * @param target final file.
     * @param cols   row width.
     * @return an int64 writer.
     */
    public static NpyWriter int64(Path target, int cols) {
        return new NpyWriter(target, DType.INT64, cols);
    }

    /**
     * Appends rows.
     *
     * @param src    row-major values.
     * @param offset first value.
     * @param n      rows; {@code n * cols} values are read.
     */
    public void writeRows(float[] src, int offset, int n) {
        requireOpen(DType.FLOAT32);
        int len = n * cols;
        for (int i = 0; i < len; i++) {
            if (buf.remaining() < 4) {
                flush();
            }
            buf.putFloat(src[offset + i]);
        }
        rows += n;
    }

    /**
     * Appends rows.
     *
     * @param src    row-major values.
     * @param offset first value.
     * @param n      rows; {@code n * cols} values are read.
     */
    public void writeRows(long[] src, int offset, int n) {
        requireOpen(DType.INT64);
        int len = n * cols;
        for (int i = 0; i < len; i++) {
            if (buf.remaining() < 8) {
                flush();
            }
            buf.putLong(src[offset + i]);
        }
        rows += n;
    }

    /** @return rows written so far. */
    public long rows() {
        return rows;
    }

    /** @return row width. */
    public int cols() {
        return cols;
    }

    /** @return the final path. */
    public Path target() {
        return target;
    }

    /** @return the temp file being written (tests check it is gone after abort). */
    Path tempFile() {
        return temp;
    }

    /** @return hex SHA-256 of the data section, available after {@link #close()}. */
    public String sha256() {
        if (sha256 == null) {
            throw new IllegalStateException(target + ": sha256 is known only after close()");
        }
        return sha256;
    }

    /**
     * Writes the final shape, fsyncs and atomically renames the temp file to the target
     * (replacing it). On failure the temp file is deleted. A second call does nothing.
     */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        try {
            flush();
            ch.write(ByteBuffer.wrap(NpyHeader.encode(dtype, rows, cols, NpyHeader.WRITER_HEADER_BYTES)), 0);
            ch.force(true);
            ch.close();
            AtomicFiles.publish(temp, target);
            finished = true;
            sha256 = HexFormat.of().formatHex(md.digest());
        } catch (IOException | RuntimeException e) {
            abort();
            throw e instanceof ActivationSetException a ? a
                    : new ActivationSetException(target + ": failed to commit (" + e + ")", e);
        }
    }

    /** Discards everything written: closes and deletes the temp file. Idempotent; no-op after a commit. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Deleting the file matters more than a close error.
        }
        deleteQuietly(temp);
    }

    private void flush() {
        buf.flip();
        md.update(buf.duplicate());
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            abort();
            throw new ActivationSetException(target + ": write failed after " + rows + " rows (" + e + ")", e);
        }
        buf.clear();
    }

    private void requireOpen(DType expected) {
        if (finished) {
            throw new IllegalStateException(target + ": writer is closed or aborted");
        }
        if (dtype != expected) {
            throw new IllegalArgumentException(target + ": writer holds '" + dtype.descr() + "', not '" + expected.descr() + "'");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: the temp name is unique and never mistaken for a target.
        }
    }
}
