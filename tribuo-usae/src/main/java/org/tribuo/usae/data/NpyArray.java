package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * A read-only rank-2 .npy array {@code [rows x cols]}, read by positional reads or memory-mapped
 * ({@link NpyReadMode}).
 *
 * <p>In {@link NpyReadMode#PREAD} mode the file channel stays open and every row is one positional
 * read into a per-thread direct buffer; positional reads do not move the channel's position, so one
 * instance may be read from several threads. An interrupted reading thread closes the channel
 * (NIO semantics), after which reads fail with a clear exception.
 *
 * <p>In {@link NpyReadMode#MMAP} mode a single MappedByteBuffer is limited to 2 GB, so the data section is mapped in regions of
 * {@code regionBytes} (1 GiB by default); a row may straddle two regions and is then copied in
 * pieces. Regions start at the data offset and have a size divisible by 8, so single elements never
 * straddle. Reads use absolute indexing only, so one instance may be read from several threads.
 * {@link #close()} drops the mappings; the OS unmaps them when they are garbage collected.
 */
public final class NpyArray implements AutoCloseable {
    /** Default region size: 1 GiB, well under the 2 GB limit of one mapping. */
    static final long DEFAULT_REGION_BYTES = 1L << 30;
    /** Most bytes one positional read of consecutive rows takes (the per-thread buffer grows to it). */
    private static final int RUN_BYTES = 1 << 18;
    /** What {@link RegularFiles#require} expects every opened path to be. */
    private static final String REGULAR_NPY = "a regular .npy file";

    private final NpyHeader header;
    private final NpyReadMode mode;
    /** Open channel in PREAD mode, null in MMAP mode or once closed. */
    private volatile FileChannel channel;
    /** Per-thread buffer for a run of rows (PREAD mode); grows to the largest run read: RUN_BYTES, or one row if wider. */
    private final ThreadLocal<ByteBuffer> rowBytes = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));
    private final long regionBytes;
    private final long regionElems;
    private ByteBuffer[] regions;
    private FloatBuffer[] f32;
    private ShortBuffer[] f16;
    private LongBuffer[] i64;

    private NpyArray(NpyHeader header, FileChannel channel) {
        this.header = header;
        this.mode = NpyReadMode.PREAD;
        this.channel = channel;
        this.regionBytes = 0;
        this.regionElems = 0;
    }

    private NpyArray(NpyHeader header, ByteBuffer[] regions, long regionBytes) {
        this.header = header;
        this.mode = NpyReadMode.MMAP;
        this.regions = regions;
        this.regionBytes = regionBytes;
        this.regionElems = regionBytes / header.dtype().itemSize();
        int n = regions.length;
        switch (header.dtype()) {
            case FLOAT32 -> {
                f32 = new FloatBuffer[n];
                for (int i = 0; i < n; i++) {
                    f32[i] = regions[i].asFloatBuffer();
                }
            }
            case FLOAT16 -> {
                f16 = new ShortBuffer[n];
                for (int i = 0; i < n; i++) {
                    f16[i] = regions[i].asShortBuffer();
                }
            }
            case INT64 -> {
                i64 = new LongBuffer[n];
                for (int i = 0; i < n; i++) {
                    i64[i] = regions[i].asLongBuffer();
                }
            }
        }
    }

    /**
     * Opens a .npy file after validating its header and size, in the mode named by the system
     * property {@value NpyReadMode#PROPERTY} (positional reads when unset).
     *
     * @param file    the file.
     * @param allowed accepted dtypes.
     * @return the array.
     * @throws ActivationSetException naming the file when it is missing, not a regular file,
     *     malformed or unsupported (see {@link #open(Path, Set, NpyReadMode)}).
     */
    public static NpyArray open(Path file, Set<DType> allowed) {
        return open(file, allowed, NpyReadMode.fromSystemProperty());
    }

    /**
     * Opens a .npy file after validating its header and size.
     *
     * @param file    the file.
     * @param allowed accepted dtypes.
     * @param mode    positional reads or a memory mapping.
     * @return the array.
     * @throws ActivationSetException naming the file when it is missing, not a regular file (a FIFO,
     *     folder, device or socket is refused before it is opened: opening a FIFO would block),
     *     malformed or unsupported.
     */
    public static NpyArray open(Path file, Set<DType> allowed, NpyReadMode mode) {
        return mode == NpyReadMode.MMAP ? open(file, allowed, DEFAULT_REGION_BYTES) : openPositional(file, allowed);
    }

    private static NpyArray openPositional(Path file, Set<DType> allowed) {
        RegularFiles.require(file, REGULAR_NPY);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            NpyHeader h = NpyHeader.read(file, ch, allowed);
            return new NpyArray(h, ch);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ActivationSetException(file + ": file not found", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ActivationSetException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    /** Test seam: a small region size exercises rows straddling region boundaries. */
    static NpyArray open(Path file, Set<DType> allowed, long regionBytes) {
        if (regionBytes <= 0 || regionBytes % 8 != 0 || regionBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("regionBytes must be a positive multiple of 8 below 2^31, got " + regionBytes);
        }
        RegularFiles.require(file, REGULAR_NPY);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(file, ch, allowed);
            long bytes = h.dataBytes();
            int n = (int) ((bytes + regionBytes - 1) / regionBytes);
            ByteBuffer[] regions = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = i * regionBytes;
                long len = Math.min(regionBytes, bytes - start);
                regions[i] = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset() + start, len)
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            // The mapping stays valid after the channel is closed.
            return new NpyArray(h, regions, regionBytes);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ActivationSetException(file + ": file not found", e);
        } catch (IOException e) {
            throw new ActivationSetException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** @return the validated header. */
    public NpyHeader header() {
        return header;
    }

    /** @return the file. */
    public Path file() {
        return header.file();
    }

    /** @return rows (first dimension). */
    public long rows() {
        return header.rows();
    }

    /** @return columns (second dimension). */
    public int cols() {
        return header.cols();
    }

    /** @return the element type. */
    public DType dtype() {
        return header.dtype();
    }

    /** @return how the data section is read. */
    public NpyReadMode mode() {
        return mode;
    }

    /**
     * Copies one row, widening float16 to float32.
     *
     * @param row    row id in [0, rows).
     * @param dst    destination.
     * @param offset where row's first element goes; {@code cols} values are written.
     */
    public void readRow(long row, float[] dst, int offset) {
        checkRow(row);
        if (header.dtype() == DType.INT64) {
            throw new ActivationSetException(file() + ": dtype '<i8' cannot be read as float");
        }
        if (mode == NpyReadMode.PREAD) {
            readRowPositional(row, dst, offset);
            return;
        }
        long elem = row * header.cols();
        int done = 0;
        int cols = header.cols();
        while (done < cols) {
            int region = (int) ((elem + done) / regionElems);
            int within = (int) ((elem + done) % regionElems);
            int n = (int) Math.min(cols - done, capacity(region) - within);
            if (f32 != null) {
                f32[region].get(within, dst, offset + done, n);
            } else {
                ShortBuffer sb = f16[region];
                for (int i = 0; i < n; i++) {
                    dst[offset + done + i] = Float16.toFloat(sb.get(within + i));
                }
            }
            done += n;
        }
    }

    private void readRowPositional(long row, float[] dst, int offset) {
        readRunPositional(row, 1, dst, offset);
    }

    /** Reads {@code n} consecutive rows from {@code row} with one positional read. */
    private void readRunPositional(long row, int n, float[] dst, int offset) {
        int values = n * header.cols();
        int item = header.dtype().itemSize();
        ByteBuffer buf = readBytes(row * header.cols() * item, values * item);
        if (header.dtype() == DType.FLOAT32) {
            buf.asFloatBuffer().get(dst, offset, values);
        } else {
            for (int i = 0; i < values; i++) {
                dst[offset + i] = Float16.toFloat(buf.getShort(2 * i));
            }
        }
    }

    /**
     * Reads {@code len} bytes of the data section at {@code dataPos} into this thread's buffer.
     *
     * @return the buffer, position 0, limit len, little-endian.
     */
    private ByteBuffer readBytes(long dataPos, int len) {
        FileChannel ch = openChannel();
        ByteBuffer buf = rowBytes.get();
        if (buf.capacity() < len) {
            buf = ByteBuffer.allocateDirect(len).order(ByteOrder.LITTLE_ENDIAN);
            rowBytes.set(buf);
        }
        buf.clear().limit(len);
        long pos = header.dataOffset() + dataPos;
        try {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new ActivationSetException(file() + ": file ends at byte " + (pos + buf.position()) + ", expected "
                            + len + " bytes at byte " + pos + " (truncated after opening?)");
                }
            }
        } catch (IOException e) {
            throw new ActivationSetException(file() + ": cannot read " + len + " bytes at " + pos
                    + " (" + e + ")", e);
        }
        return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private FileChannel openChannel() {
        FileChannel ch = channel;
        if (ch == null) {
            throw new IllegalStateException(file() + ": array is closed");
        }
        return ch;
    }

    /**
     * Gathers rows into a row-major block.
     *
     * @param rowIds row ids, any order, repeats allowed.
     * @param dst    {@code [rowIds.length x cols]} row-major.
     */
    public void readRows(long[] rowIds, float[] dst) {
        int cols = header.cols();
        if (dst.length < (long) rowIds.length * cols) {
            throw new IllegalArgumentException(file() + ": destination holds " + dst.length + " values, need "
                    + rowIds.length + " x " + cols);
        }
        for (int i = 0; i < rowIds.length; ) {
            int n = consecutiveRun(rowIds, i, Long.MAX_VALUE);
            readRun(rowIds[i], n, dst, i * cols);
            i += n;
        }
    }

    /**
     * @param rowIds row ids.
     * @param from   where the run starts.
     * @param end    ids at or past this end a run.
     * @return how many ids from {@code from} on are consecutive ({@code rowIds[from] + j}) and below end; at least 1.
     */
    static int consecutiveRun(long[] rowIds, int from, long end) {
        int n = 1;
        while (from + n < rowIds.length && rowIds[from + n] == rowIds[from] + n && rowIds[from + n] < end) {
            n++;
        }
        return n;
    }

    /**
     * Copies rows {@code [first, first + n)}, widening float16 to float32. Positional reads take a
     * run in calls of up to {@value #RUN_BYTES} bytes, since one system call per row dominates
     * reading narrow rows in a sequential scan.
     *
     * @param first  first row id.
     * @param n      rows.
     * @param dst    destination.
     * @param offset where the first row's first element goes; {@code n * cols} values are written.
     */
    void readRun(long first, int n, float[] dst, int offset) {
        int cols = header.cols();
        if (mode != NpyReadMode.PREAD || header.dtype() == DType.INT64) {
            for (int j = 0; j < n; j++) {
                readRow(first + j, dst, offset + j * cols);
            }
            return;
        }
        checkRow(first);
        checkRow(first + n - 1);
        int maxRun = Math.max(1, RUN_BYTES / (cols * header.dtype().itemSize()));
        for (int done = 0; done < n; done += maxRun) {
            readRunPositional(first + done, Math.min(maxRun, n - done), dst, offset + done * cols);
        }
    }

    /**
     * Reads one int64 element.
     *
     * @param row row id.
     * @param col column.
     * @return the value.
     */
    public long getLong(long row, int col) {
        checkRow(row);
        if (header.dtype() != DType.INT64) {
            throw new ActivationSetException(file() + ": dtype '" + header.dtype().descr() + "' cannot be read as int64");
        }
        if (col < 0 || col >= header.cols()) {
            throw new IndexOutOfBoundsException(file() + ": column " + col + " outside [0, " + header.cols() + ")");
        }
        long elem = row * header.cols() + col;
        if (mode == NpyReadMode.PREAD) {
            return readBytes(elem * 8, 8).getLong(0);
        }
        return i64[(int) (elem / regionElems)].get((int) (elem % regionElems));
    }

    /**
     * SHA-256 of the data section (the bytes after the header), streamed through the mapping.
     * Hashing data rather than the whole file lets writers hash in a single pass before the
     * final header (with the row count) is known.
     *
     * @return lowercase hex digest.
     */
    public String sha256() {
        MessageDigest md = Sha256.newDigest();
        if (mode == NpyReadMode.PREAD) {
            long bytes = header.dataBytes();
            int chunk = 1 << 20;
            for (long done = 0; done < bytes; done += chunk) {
                md.update(readBytes(done, (int) Math.min(chunk, bytes - done)));
            }
            rowBytes.remove(); // do not keep a 1 MiB buffer per hashing thread
        } else {
            for (ByteBuffer r : regions()) {
                md.update(r.duplicate());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private ByteBuffer[] regions() {
        if (regions == null) {
            throw new IllegalStateException(file() + ": array is closed");
        }
        return regions;
    }

    private long capacity(int region) {
        return regions()[region].capacity() / header.dtype().itemSize();
    }

    private void checkRow(long row) {
        if (row < 0 || row >= header.rows()) {
            throw new IndexOutOfBoundsException(file() + ": row " + row + " outside [0, " + header.rows() + ")");
        }
        if (mode == NpyReadMode.PREAD) {
            openChannel();
        } else {
            regions();
        }
    }

    /** Closes the channel or drops the mappings; later reads throw IllegalStateException. */
    @Override
    public void close() {
        FileChannel ch = channel;
        channel = null;
        closeQuietly(ch);
        regions = null;
        f32 = null;
        f16 = null;
        i64 = null;
    }
}
