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
 * A read-only, memory-mapped rank-2 .npy array {@code [rows x cols]}.
 *
 * <p>A single MappedByteBuffer is limited to 2 GB, so the data section is mapped in regions of
 * {@code regionBytes} (1 GiB by default); a row may straddle two regions and is then copied in
 * pieces. Regions start at the data offset and have a size divisible by 8, so single elements never
 * straddle. Reads use absolute indexing only, so one instance may be read from several threads.
 * {@link #close()} drops the mappings; the OS unmaps them when they are garbage collected.
 */
public final class NpyArray implements AutoCloseable {
    /** Default region size: 1 GiB, well under the 2 GB limit of one mapping. */
    static final long DEFAULT_REGION_BYTES = 1L << 30;

    private final NpyHeader header;
    private final long regionBytes;
    private final long regionElems;
    private ByteBuffer[] regions;
    private FloatBuffer[] f32;
    private ShortBuffer[] f16;
    private LongBuffer[] i64;

    private NpyArray(NpyHeader header, ByteBuffer[] regions, long regionBytes) {
        this.header = header;
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
     * Opens and maps a .npy file after validating its header and size.
     *
     * @param file    the file.
     * @param allowed accepted dtypes.
     * @return the array.
     * @throws ActivationSetException naming the file when it is missing, malformed or unsupported.
     */
    public static NpyArray open(Path file, Set<DType> allowed) {
        return open(file, allowed, DEFAULT_REGION_BYTES);
    }

    /** Test seam: a small region size exercises rows straddling region boundaries. */
    static NpyArray open(Path file, Set<DType> allowed, long regionBytes) {
        if (regionBytes <= 0 || regionBytes % 8 != 0 || regionBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("regionBytes must be a positive multiple of 8 below 2^31, got " + regionBytes);
        }
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
        for (int i = 0; i < rowIds.length; i++) {
            readRow(rowIds[i], dst, i * cols);
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
        if (i64 == null) {
            throw new ActivationSetException(file() + ": dtype '" + header.dtype().descr() + "' cannot be read as int64");
        }
        if (col < 0 || col >= header.cols()) {
            throw new IndexOutOfBoundsException(file() + ": column " + col + " outside [0, " + header.cols() + ")");
        }
        long elem = row * header.cols() + col;
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
        for (ByteBuffer r : regions()) {
            md.update(r.duplicate());
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
        regions();
    }

    /** Drops the mappings; later reads throw IllegalStateException. */
    @Override
    public void close() {
        regions = null;
        f32 = null;
        f16 = null;
        i64 = null;
    }
}
