package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An activation set stored as a folder of {@code <model>.npy} files, each {@code [rows x dim]}
 * ('&lt;f4' or '&lt;f2'), read by positional reads or memory-mapped ({@link NpyReadMode}), never loaded whole.
 *
 * <p>Without {@code manifest.json} every {@code *.npy} except {@code row_index.npy} and
 * {@code labels.npy} is a model, named by its file stem, in sorted order (a hidden {@code .x.npy}
 * or a stem-less {@code .npy} is refused, not skipped), and content hashes for provenance are computed on open
 * (a full read of every file). With a manifest, names, order, dims, dtypes, statistics, hashes
 * and the row index come from it and are checked against the files; hashes are checked only by
 * {@link #verify()}.
 */
public final class NpyActivationSet implements ActivationSet {
    /** Default name of the row index file, int64 {@code [rows x 2]}. */
    public static final String ROW_INDEX_FILE = "row_index.npy";
    /** Optional per-input labels (int64 [inputs x 1]) next to the manifest; never a model file. */
    public static final String LABELS_FILE = "labels.npy";

    private final Path folder;
    private final List<String> names;
    private final List<NpyArray> arrays;
    private final List<String> hashes;
    private final List<ModelStats> stats;
    private final Manifest manifest;
    private final NpyArray rowIndexArray;
    private final ActivationSetProvenance provenance;

    private NpyActivationSet(Path folder, List<String> names, List<NpyArray> arrays, List<String> hashes,
                             List<ModelStats> stats, Manifest manifest, NpyArray rowIndexArray) {
        this.folder = folder;
        this.names = List.copyOf(names);
        this.arrays = List.copyOf(arrays);
        this.hashes = hashes;
        this.stats = stats;
        this.manifest = manifest;
        this.rowIndexArray = rowIndexArray;
        List<ModelFileProvenance> mp = new ArrayList<>();
        for (int i = 0; i < arrays.size(); i++) {
            NpyArray a = arrays.get(i);
            mp.add(new ModelFileProvenance(names.get(i), a.file().getFileName().toString(),
                    a.header().dataOffset() + a.header().dataBytes(), a.dtype().descr(), a.rows(), a.cols(), hashes.get(i)));
        }
        this.provenance = new ActivationSetProvenance(NpyActivationSet.class, folder.toString(), rows(), mp);
    }

    /**
     * Opens and validates a set folder.
     *
     * @param folder the folder.
     * @return the set.
     * @throws ActivationSetException naming the folder or file and the problem.
     */
    public static NpyActivationSet open(Path folder) {
        return open(folder, NpyReadMode.fromSystemProperty());
    }

    /**
     * Opens and validates a set folder, reading its files in the given mode.
     *
     * @param folder the folder.
     * @param mode   positional reads or memory mappings.
     * @return the set.
     * @throws ActivationSetException naming the folder or file and the problem.
     */
    public static NpyActivationSet open(Path folder, NpyReadMode mode) {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ActivationSetException(dir + ": not a folder");
        }
        Path mf = dir.resolve(Manifest.FILE_NAME);
        List<NpyArray> opened = new ArrayList<>();
        try {
            return Files.exists(mf) ? openWithManifest(dir, Manifest.read(mf), opened, mode) : openPlain(dir, opened, mode);
        } catch (RuntimeException e) {
            opened.forEach(NpyArray::close);
            throw e;
        }
    }

    private static NpyActivationSet openPlain(Path dir, List<NpyArray> opened, NpyReadMode mode) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".npy"))
                    .filter(p -> !p.getFileName().toString().equals(ROW_INDEX_FILE))
                    .filter(p -> !p.getFileName().toString().equals(LABELS_FILE))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ActivationSetException(dir + ": cannot list (" + e + ")", e);
        }
        if (files.isEmpty()) {
            throw new ActivationSetException("no <model>.npy files in " + dir);
        }
        // Names are checked before any file is opened, so a bad name is reported even next to a FIFO.
        for (Path f : files) {
            plainModelName(f);
        }
        List<String> names = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<ModelStats> stats = new ArrayList<>();
        for (Path f : files) {
            names.add(plainModelName(f));
            NpyArray a = NpyArray.open(f, Npy.ACTIVATION_DTYPES, mode);
            opened.add(a);
            checkNonEmpty(a);
            checkRows(opened.get(0), a);
            hashes.add(a.sha256());
            stats.add(null);
        }
        Path ri = dir.resolve(ROW_INDEX_FILE);
        NpyArray index = Files.exists(ri) ? openRowIndex(ri, opened.get(0), opened, mode) : null;
        return new NpyActivationSet(dir, names, opened.subList(0, names.size()), hashes, stats, null, index);
    }

    /**
     * The model name a plain folder gives {@code <model>.npy}: its stem. A file whose stem is empty
     * ({@code .npy}) would make a model without a name, which no model file can store; a hidden
     * file ({@code .x.npy}, e.g. an editor's or macOS's {@code ._x.npy}) is rarely meant as a model.
     * Both are refused rather than skipped, because the user put them in the folder and a silently
     * smaller set would train on something else than they think.
     *
     * @param f a {@code *.npy} entry of the folder.
     * @return its model name.
     * @throws ActivationSetException naming the file and why its name is refused.
     */
    private static String plainModelName(Path f) {
        String file = f.getFileName().toString();
        String stem = file.substring(0, file.length() - ".npy".length());
        if (stem.isEmpty()) {
            throw new ActivationSetException(f + ": the model name (file name before .npy) is empty; expected "
                    + "<model>.npy, e.g. dino.npy: rename the file or move it out of the folder");
        }
        if (file.startsWith(".")) {
            throw new ActivationSetException(f + ": hidden file (name starts with '.') in the set folder; expected "
                    + "<model>.npy with a visible model name: rename the file or move it out of the folder");
        }
        if (!ModelNames.isFileSafe(stem)) {
            throw new ActivationSetException(f + ": model name '" + NpyHeader.printable(stem) + "' is not "
                    + ModelNames.RULE + ": rename the file");
        }
        return stem;
    }

    private static NpyActivationSet openWithManifest(Path dir, Manifest m, List<NpyArray> opened, NpyReadMode mode) {
        Path mf = dir.resolve(Manifest.FILE_NAME);
        List<String> names = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<ModelStats> stats = new ArrayList<>();
        for (Manifest.Entry e : m.models()) {
            if (names.contains(e.name())) {
                throw new ActivationSetException(mf + ": model '" + e.name() + "' is listed twice");
            }
            Path f = inside(dir, mf, "models '" + e.name() + "' file", e.file());
            if (!Files.exists(f)) {
                throw new ActivationSetException(mf + ": lists model '" + e.name() + "' but " + f + " does not exist");
            }
            NpyArray a = NpyArray.open(f, Npy.ACTIVATION_DTYPES, mode);
            opened.add(a);
            checkNonEmpty(a);
            if (a.cols() != e.dim()) {
                throw new ActivationSetException(f + ": dim " + a.cols() + " but " + mf + " says " + e.dim());
            }
            if (a.rows() != m.rows()) {
                throw new ActivationSetException(f + ": " + a.rows() + " rows but " + mf + " says " + m.rows());
            }
            if (!a.dtype().descr().equals(e.dtype())) {
                throw new ActivationSetException(f + ": dtype '" + a.dtype().descr() + "' but " + mf + " says '" + e.dtype() + "'");
            }
            names.add(e.name());
            hashes.add(e.sha256() != null ? e.sha256() : a.sha256());
            stats.add(e.stats());
        }
        NpyArray index = null;
        if (m.rowIndex() != null) {
            Path ri = inside(dir, mf, "row_index file", m.rowIndex().file());
            if (!Files.exists(ri)) {
                throw new ActivationSetException(mf + ": lists row index " + ri + " which does not exist");
            }
            index = openRowIndex(ri, opened.get(0), opened, mode);
        }
        return new NpyActivationSet(dir, names, opened.subList(0, names.size()), hashes, stats, m, index);
    }

    /**
     * Resolves a file named by the manifest and refuses any that is absolute, or whose path or
     * real path (symlinks followed) leaves the set folder: a manifest must not make the reader
     * open (and hash into provenance) files elsewhere on the machine.
     */
    static Path inside(Path dir, Path mf, String what, String name) {
        Path rel;
        try {
            rel = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ActivationSetException(mf + ": " + what + " '" + name + "' is not a valid path (" + e.getReason() + ")");
        }
        Path f = dir.resolve(rel).normalize();
        if (rel.isAbsolute() || !f.startsWith(dir) || f.equals(dir)) {
            throw new ActivationSetException(mf + ": " + what + " '" + name + "' is outside the set folder " + dir
                    + "; expected a path relative to it, such as 'dino.npy'");
        }
        if (Files.exists(f)) {
            try {
                Path real = f.toRealPath();
                Path realDir = dir.toRealPath();
                if (!real.startsWith(realDir)) {
                    throw new ActivationSetException(mf + ": " + what + " '" + name + "' is a link to " + real
                            + ", outside the set folder " + realDir + "; copy the file into the folder");
                }
            } catch (IOException e) {
                throw new ActivationSetException(mf + ": cannot resolve " + what + " '" + name + "' (" + e + ")", e);
            }
        }
        return f;
    }

    private static void checkNonEmpty(NpyArray a) {
        if (a.rows() == 0 || a.cols() == 0) {
            throw new ActivationSetException(a.file() + ": shape (" + a.rows() + ", " + a.cols()
                    + ") is empty; expected at least one row and one column of activations");
        }
    }

    private static void checkRows(NpyArray first, NpyArray a) {
        if (a.rows() != first.rows()) {
            throw new ActivationSetException("row counts differ: " + a.file() + " has " + a.rows() + " rows but "
                    + first.file() + " has " + first.rows());
        }
    }

    private static NpyArray openRowIndex(Path ri, NpyArray first, List<NpyArray> opened, NpyReadMode mode) {
        NpyArray a = NpyArray.open(ri, Npy.INDEX_DTYPES, mode);
        opened.add(a);
        if (a.cols() != 2) {
            throw new ActivationSetException(ri + ": row index has " + a.cols() + " columns, expected 2 (input id, token position)");
        }
        checkRows(first, a);
        return a;
    }

    /**
     * Recomputes every content hash and compares with the manifest (a full read of every file).
     *
     * @throws ActivationSetException naming the file, the expected and the found hash.
     */
    public void verify() {
        if (manifest == null) {
            return; // a plain folder's hashes were computed from its files when it was opened
        }
        for (int i = 0; i < arrays.size(); i++) {
            check(arrays.get(i), hashes.get(i));
        }
        if (manifest != null && manifest.rowIndex() != null && manifest.rowIndex().sha256() != null) {
            check(rowIndexArray, manifest.rowIndex().sha256());
        }
    }

    private static void check(NpyArray a, String expected) {
        String found = a.sha256();
        if (!found.equalsIgnoreCase(expected)) {
            throw new ActivationSetException(a.file() + ": sha256 mismatch: expected " + expected + ", found " + found);
        }
    }

    /** @return the folder. */
    public Path folder() {
        return folder;
    }

    /** @return the manifest, if the folder has one. */
    public Optional<Manifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    @Override
    public List<String> modelNames() {
        return names;
    }

    @Override
    public long rows() {
        return arrays.get(0).rows();
    }

    @Override
    public int dim(int model) {
        return arrays.get(model).cols();
    }

    @Override
    public void readRows(int model, long[] rowIds, float[] dst) {
        arrays.get(model).readRows(rowIds, dst);
    }

    @Override
    public Optional<RowIndex> rowIndex() {
        if (rowIndexArray == null) {
            return Optional.empty();
        }
        NpyArray a = rowIndexArray;
        return Optional.of(new RowIndex() {
            @Override
            public long rows() {
                return a.rows();
            }

            @Override
            public long inputId(long row) {
                return a.getLong(row, 0);
            }

            @Override
            public long position(long row) {
                return a.getLong(row, 1);
            }
        });
    }

    @Override
    public Optional<ModelStats> stats(int model) {
        return Optional.ofNullable(stats.get(model));
    }

    @Override
    public String source(int model) {
        return arrays.get(model).file().toString();
    }

    @Override
    public ActivationSetProvenance provenance() {
        return provenance;
    }

    @Override
    public void close() {
        arrays.forEach(NpyArray::close);
        if (rowIndexArray != null) {
            rowIndexArray.close();
        }
    }
}
