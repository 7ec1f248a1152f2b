package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Streams an activation set into a folder: one {@code <model>.npy} float32 file per model, an
 * optional {@code row_index.npy}, and {@code manifest.json} written last. SHA-256 and statistics
 * are computed in the same pass as the write.
 *
 * <p>The folder must be empty or absent, so a failed write never mixes with an older set. Because
 * the manifest is committed last, a folder with a manifest holds a complete set. {@link #close()}
 * commits; on failure call {@link #abort()}, which deletes everything written so far.
 */
public final class ActivationSetWriter implements AutoCloseable {
    private final Path folder;
    private final List<String> names;
    private final int[] dims;
    private final NpyWriter[] writers;
    private final StatsAccumulator[] acc;
    private final NpyWriter indexWriter;
    private long rows;
    private boolean done;

    private ActivationSetWriter(Path folder, List<String> names, int[] dims, boolean withRowIndex) {
        this.folder = folder;
        this.names = List.copyOf(names);
        this.dims = dims.clone();
        this.writers = new NpyWriter[dims.length];
        this.acc = new StatsAccumulator[dims.length];
        NpyWriter iw = null;
        try {
            for (int i = 0; i < dims.length; i++) {
                writers[i] = NpyWriter.float32(folder.resolve(names.get(i) + ".npy"), dims[i]);
                acc[i] = new StatsAccumulator();
            }
            iw = withRowIndex ? NpyWriter.int64(folder.resolve(NpyActivationSet.ROW_INDEX_FILE), 2) : null;
        } catch (RuntimeException e) {
            for (NpyWriter w : writers) {
                if (w != null) {
                    w.abort();
                }
            }
            throw e;
        }
        this.indexWriter = iw;
    }

    /**
     * @param folder       empty or absent folder.
     * @param names        model names (file stems), distinct, no path separators.
     * @param dims         widths.
     * @param withRowIndex whether rows come with (input id, position).
     * @return the writer.
     */
    public static ActivationSetWriter create(Path folder, List<String> names, int[] dims, boolean withRowIndex) {
        Path dir = folder.toAbsolutePath().normalize();
        if (names.isEmpty() || names.size() != dims.length) {
            throw new ActivationSetException(dir + ": need at least one model and one dim per name, got "
                    + names + " and " + dims.length + " dims");
        }
        for (String n : names) {
            if (n.isEmpty() || n.contains("/") || n.contains("\\") || n.startsWith(".")
                    || (n + ".npy").equals(NpyActivationSet.ROW_INDEX_FILE)) {
                throw new ActivationSetException(dir + ": model name '" + n + "' cannot be a file stem");
            }
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new ActivationSetException(dir + ": duplicate model names " + names);
        }
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new ActivationSetException(dir + ": folder is not empty, expected an empty or new folder");
                }
            }
        } catch (IOException e) {
            throw new ActivationSetException(dir + ": cannot create (" + e + ")", e);
        }
        return new ActivationSetWriter(dir, names, dims, withRowIndex);
    }

    /**
     * Appends aligned rows of every model.
     *
     * @param blocks per-model {@code [n x dims[i]]} row-major.
     * @param n      rows.
     */
    public void append(float[][] blocks, int n) {
        if (indexWriter != null) {
            throw new IllegalStateException(folder + ": this writer records a row index; use append(blocks, n, ids, positions)");
        }
        appendBlocks(blocks, n);
    }

    /**
     * Appends aligned rows with their row-index entries.
     *
     * @param blocks    per-model {@code [n x dims[i]]} row-major.
     * @param n         rows.
     * @param inputIds  {@code [n]} input ids.
     * @param positions {@code [n]} token positions.
     */
    public void append(float[][] blocks, int n, long[] inputIds, long[] positions) {
        if (indexWriter == null) {
            throw new IllegalStateException(folder + ": this writer was created without a row index");
        }
        if (inputIds.length < n || positions.length < n) {
            throw new IllegalArgumentException(folder + ": row index arrays shorter than " + n + " rows");
        }
        appendBlocks(blocks, n);
        long[] pairs = new long[2 * n];
        for (int r = 0; r < n; r++) {
            pairs[2 * r] = inputIds[r];
            pairs[2 * r + 1] = positions[r];
        }
        indexWriter.writeRows(pairs, 0, n);
    }

    private void appendBlocks(float[][] blocks, int n) {
        if (done) {
            throw new IllegalStateException(folder + ": writer is closed or aborted");
        }
        if (blocks.length != dims.length) {
            throw new IllegalArgumentException(folder + ": " + blocks.length + " blocks, expected " + dims.length);
        }
        for (int i = 0; i < dims.length; i++) {
            if (blocks[i].length < (long) n * dims[i]) {
                throw new IllegalArgumentException(folder + ": block of model '" + names.get(i) + "' holds "
                        + blocks[i].length + " values, expected " + n + " x " + dims[i]);
            }
        }
        try {
            for (int i = 0; i < dims.length; i++) {
                writers[i].writeRows(blocks[i], 0, n);
                acc[i].add(blocks[i], 0, n * dims[i]);
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        rows += n;
    }

    /** @return rows written so far. */
    public long rows() {
        return rows;
    }

    /** Commits every .npy file, then the manifest. On failure everything is deleted. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        try {
            List<Manifest.Entry> entries = new ArrayList<>();
            for (int i = 0; i < dims.length; i++) {
                writers[i].close();
                // JSON has no NaN/Inf: statistics of empty or non-finite data are left out.
                ModelStats s = rows > 0 && Double.isFinite(acc[i].mean()) && Double.isFinite(acc[i].std())
                        ? acc[i].toStats() : null;
                entries.add(new Manifest.Entry(names.get(i), names.get(i) + ".npy", dims[i], DType.FLOAT32.descr(),
                        writers[i].sha256(), s));
            }
            Manifest.FileRef ri = null;
            if (indexWriter != null) {
                indexWriter.close();
                ri = new Manifest.FileRef(NpyActivationSet.ROW_INDEX_FILE, indexWriter.sha256());
            }
            new Manifest(Manifest.FORMAT_VERSION, rows, entries, ri).write(folder.resolve(Manifest.FILE_NAME));
            done = true;
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Discards the set: aborts open writers and deletes committed files. Idempotent. */
    public void abort() {
        done = true;
        for (NpyWriter w : writers) {
            if (w != null) {
                w.abort();
            }
        }
        if (indexWriter != null) {
            indexWriter.abort();
        }
        List<Path> all = new ArrayList<>();
        for (String n : names) {
            all.add(folder.resolve(n + ".npy"));
        }
        all.add(folder.resolve(NpyActivationSet.ROW_INDEX_FILE));
        all.add(folder.resolve(Manifest.FILE_NAME));
        for (Path p : all) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // Best effort; without a manifest the folder is not mistaken for a complete set.
            }
        }
    }

    /**
     * Copies any set into a folder, {@code chunkRows} rows at a time.
     *
     * @param src       the set.
     * @param folder    empty or absent folder.
     * @param chunkRows rows per read.
     */
    public static void write(ActivationSet src, Path folder, int chunkRows) {
        int m = src.numModels();
        int[] dims = new int[m];
        for (int i = 0; i < m; i++) {
            dims[i] = src.dim(i);
        }
        RowIndex index = src.rowIndex().orElse(null);
        ActivationSetWriter w = create(folder, src.modelNames(), dims, index != null);
        try {
            for (long start = 0; start < src.rows(); start += chunkRows) {
                int n = (int) Math.min(chunkRows, src.rows() - start);
                long[] ids = new long[n];
                for (int r = 0; r < n; r++) {
                    ids[r] = start + r;
                }
                Batch b = src.batch(ids);
                if (index == null) {
                    w.append(b.x(), n);
                } else {
                    long[] in = new long[n];
                    long[] pos = new long[n];
                    for (int r = 0; r < n; r++) {
                        in[r] = index.inputId(ids[r]);
                        pos[r] = index.position(ids[r]);
                    }
                    w.append(b.x(), n, in, pos);
                }
            }
            w.close();
        } catch (RuntimeException e) {
            w.abort();
            throw e;
        }
    }
}
