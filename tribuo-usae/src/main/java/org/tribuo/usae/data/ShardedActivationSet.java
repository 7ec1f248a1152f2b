package org.tribuo.usae.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An activation set stored as shards: a folder with a {@link ShardedManifest} ({@code manifest.json},
 * format version 2) listing, per model, {@code .npy} shards of {@code [shardRows x dim]}; shard k of
 * every model holds the same rows. Shards are read by positional reads or memory-mapped ({@link NpyReadMode}), never loaded whole; only listed files
 * are opened. Hashes are checked by {@link #verify()} only (a full read).
 */
public final class ShardedActivationSet implements ActivationSet {
    private final Path folder;
    private final ShardedManifest manifest;
    private final List<String> names;
    private final NpyArray[][] shards;
    private final NpyArray[] index;
    private final long[] bounds;
    private final ActivationSetProvenance provenance;

    private ShardedActivationSet(Path folder, ShardedManifest manifest, NpyArray[][] shards, NpyArray[] index) {
        this.folder = folder;
        this.manifest = manifest;
        this.names = manifest.models().stream().map(ShardedManifest.ModelShards::name).toList();
        this.shards = shards;
        this.index = index;
        this.bounds = manifest.boundaries();
        List<ModelFileProvenance> mp = new ArrayList<>();
        for (ShardedManifest.ModelShards m : manifest.models()) {
            long bytes = m.shards().stream().mapToLong(ShardedManifest.Shard::bytes).sum();
            mp.add(new ModelFileProvenance(m.name(), m.name() + "/ (" + m.shards().size() + " shards)", bytes, m.dtype(),
                    manifest.rows(), m.dim(), hashOfShardHashes(m)));
        }
        this.provenance = new ActivationSetProvenance(ShardedActivationSet.class, folder.toString(), manifest.rows(), mp);
    }

    /** One hash per model for provenance: SHA-256 over its shards' hex hashes in order. */
    private static String hashOfShardHashes(ShardedManifest.ModelShards m) {
        MessageDigest md = Sha256.newDigest();
        for (ShardedManifest.Shard s : m.shards()) {
            md.update(s.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Opens a sharded set and checks every listed shard's shape, dtype and size against the manifest.
     *
     * @param folder the folder holding {@code manifest.json}.
     * @return the set.
     * @throws ActivationSetException naming the manifest or shard and the mismatch.
     */
    public static ShardedActivationSet open(Path folder) {
        return open(folder, NpyReadMode.fromSystemProperty());
    }

    /**
     * Opens a sharded set, reading its shards in the given mode; checks as {@link #open(Path)}.
     *
     * @param folder the folder holding {@code manifest.json}.
     * @param mode   positional reads or memory mappings.
     * @return the set.
     * @throws ActivationSetException naming the manifest or shard and the mismatch.
     */
    public static ShardedActivationSet open(Path folder, NpyReadMode mode) {
        Path dir = folder.toAbsolutePath().normalize();
        Path mf = dir.resolve(Manifest.FILE_NAME);
        if (!Files.exists(mf)) {
            throw new ActivationSetException(dir + ": no " + Manifest.FILE_NAME + "; a sharded set needs one");
        }
        ShardedManifest m = ShardedManifest.read(mf);
        List<NpyArray> opened = new ArrayList<>();
        try {
            NpyArray[][] arrays = new NpyArray[m.models().size()][];
            for (int i = 0; i < arrays.length; i++) {
                ShardedManifest.ModelShards model = m.models().get(i);
                arrays[i] = new NpyArray[model.shards().size()];
                for (int k = 0; k < arrays[i].length; k++) {
                    ShardedManifest.Shard s = model.shards().get(k);
                    NpyArray a = openShard(dir, mf, s, "model '" + model.name() + "' shard " + k, false, opened, mode);
                    if (a.cols() != model.dim()) {
                        throw new ActivationSetException(a.file() + ": dim " + a.cols() + " but " + mf + " says " + model.dim()
                                + " for model '" + model.name() + "'");
                    }
                    if (!a.dtype().descr().equals(model.dtype())) {
                        throw new ActivationSetException(a.file() + ": dtype '" + a.dtype().descr() + "' but " + mf + " says '"
                                + model.dtype() + "' for model '" + model.name() + "'");
                    }
                    arrays[i][k] = a;
                }
            }
            NpyArray[] index = null;
            if (!m.rowIndex().isEmpty()) {
                index = new NpyArray[m.rowIndex().size()];
                for (int k = 0; k < index.length; k++) {
                    index[k] = openShard(dir, mf, m.rowIndex().get(k), "row_index shard " + k, true, opened, mode);
                    if (index[k].cols() != 2) {
                        throw new ActivationSetException(index[k].file() + ": row index has " + index[k].cols()
                                + " columns, expected 2 (input id, token position)");
                    }
                }
            }
            return new ShardedActivationSet(dir, m, arrays, index);
        } catch (RuntimeException e) {
            opened.forEach(NpyArray::close);
            throw e;
        }
    }

    private static NpyArray openShard(Path dir, Path mf, ShardedManifest.Shard s, String what, boolean isIndex,
                                      List<NpyArray> opened, NpyReadMode mode) {
        Path f = NpyActivationSet.inside(dir, mf, what + " path", s.path());
        // Anything that exists but is not a regular file (a FIFO, a folder) is named as such by NpyArray.open.
        if (!Files.exists(f)) {
            throw new ActivationSetException(mf + ": lists " + what + " at '" + s.path() + "' but " + f + " does not exist");
        }
        NpyArray a = NpyArray.open(f, isIndex ? Npy.INDEX_DTYPES : Npy.ACTIVATION_DTYPES, mode);
        opened.add(a);
        if (a.rows() != s.rows()) {
            throw new ActivationSetException(f + ": " + a.rows() + " rows but " + mf + " says " + s.rows() + " for " + what);
        }
        long size = a.header().dataOffset() + a.header().dataBytes();
        if (size != s.bytes()) {
            throw new ActivationSetException(f + ": " + size + " bytes but " + mf + " says " + s.bytes() + " for " + what);
        }
        return a;
    }

    /**
     * Recomputes every shard's hash (a full read of every file) and compares with the manifest.
     *
     * @throws ActivationSetException naming the shard, the expected and the found hash.
     */
    public void verify() {
        for (int i = 0; i < shards.length; i++) {
            for (int k = 0; k < shards[i].length; k++) {
                check(shards[i][k], manifest.models().get(i).shards().get(k).sha256());
            }
        }
        if (index != null) {
            for (int k = 0; k < index.length; k++) {
                check(index[k], manifest.rowIndex().get(k).sha256());
            }
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

    /** @return the manifest. */
    public ShardedManifest manifest() {
        return manifest;
    }

    @Override
    public long[] shardBoundaries() {
        return bounds.clone();
    }

    @Override
    public List<String> modelNames() {
        return names;
    }

    @Override
    public long rows() {
        return manifest.rows();
    }

    @Override
    public int dim(int model) {
        return manifest.models().get(model).dim();
    }

    /** @return the shard holding {@code row}. */
    private int shardOf(long row) {
        if (row < 0 || row >= bounds[bounds.length - 1]) {
            throw new IndexOutOfBoundsException("row " + row + " outside [0, " + bounds[bounds.length - 1] + ")");
        }
        int k = Arrays.binarySearch(bounds, row);
        return k >= 0 ? k : -k - 2;
    }

    @Override
    public void readRows(int model, long[] rowIds, float[] dst) {
        int d = dim(model);
        NpyArray[] s = shards[model];
        for (int i = 0; i < rowIds.length; ) {
            int k = shardOf(rowIds[i]);
            // consecutive rows within one shard are read together (one system call in positional mode)
            int n = NpyArray.consecutiveRun(rowIds, i, bounds[k + 1]);
            s[k].readRun(rowIds[i] - bounds[k], n, dst, i * d);
            i += n;
        }
    }

    @Override
    public Optional<RowIndex> rowIndex() {
        if (index == null) {
            return Optional.empty();
        }
        return Optional.of(new RowIndex() {
            @Override
            public long rows() {
                return manifest.rows();
            }

            @Override
            public long inputId(long row) {
                int k = shardOf(row);
                return index[k].getLong(row - bounds[k], 0);
            }

            @Override
            public long position(long row) {
                int k = shardOf(row);
                return index[k].getLong(row - bounds[k], 1);
            }
        });
    }

    @Override
    public Optional<ModelStats> stats(int model) {
        return Optional.empty();
    }

    @Override
    public String source(int model) {
        return folder.resolve(names.get(model)) + " (model '" + names.get(model) + "', " + shards[model].length + " shards)";
    }

    @Override
    public ActivationSetProvenance provenance() {
        return provenance;
    }

    @Override
    public void close() {
        for (NpyArray[] model : shards) {
            for (NpyArray a : model) {
                a.close();
            }
        }
        if (index != null) {
            for (NpyArray a : index) {
                a.close();
            }
        }
    }
}
