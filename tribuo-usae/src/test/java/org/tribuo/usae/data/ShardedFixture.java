package org.tribuo.usae.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small sharded sets whose values identify (model, row, column). */
final class ShardedFixture {
    private ShardedFixture() {
    }

    /** Model m's value at (row, col): the row, plus col/8 and m/4 (exact in float32 for small rows). */
    static float value(int m, long row, int col) {
        return row + col / 8f + m / 4f;
    }

    /**
     * @param dir       set folder.
     * @param names     model names.
     * @param dims      widths.
     * @param shardRows rows per shard, identical for every model.
     * @return the manifest written to {@code dir/manifest.json}.
     */
    static ShardedManifest write(Path dir, List<String> names, int[] dims, long[] shardRows) {
        long total = java.util.Arrays.stream(shardRows).sum();
        float[][] x = new float[names.size()][];
        for (int m = 0; m < names.size(); m++) {
            x[m] = new float[(int) total * dims[m]];
            for (int r = 0; r < total; r++) {
                for (int c = 0; c < dims[m]; c++) {
                    x[m][r * dims[m] + c] = value(m, r, c);
                }
            }
        }
        return write(dir, names, dims, x, shardRows);
    }

    /**
     * @param dir       set folder.
     * @param names     model names.
     * @param dims      widths.
     * @param x         per model, {@code [rows x dim]} row-major.
     * @param shardRows rows per shard, identical for every model.
     * @return the manifest written to {@code dir/manifest.json}.
     */
    static ShardedManifest write(Path dir, List<String> names, int[] dims, float[][] x, long[] shardRows) {
        try {
            Files.createDirectories(dir);
            List<ShardedManifest.ModelShards> models = new ArrayList<>();
            for (int m = 0; m < names.size(); m++) {
                List<ShardedManifest.Shard> shards = new ArrayList<>();
                long first = 0;
                for (int k = 0; k < shardRows.length; k++) {
                    String rel = names.get(m) + "/part-" + String.format("%05d", k) + ".npy";
                    float[] rows = java.util.Arrays.copyOfRange(x[m], (int) first * dims[m], (int) (first + shardRows[k]) * dims[m]);
                    shards.add(writeShard(dir, rel, first, shardRows[k], dims[m], rows, null));
                    first += shardRows[k];
                }
                models.add(new ShardedManifest.ModelShards(names.get(m), dims[m], "<f4", shards));
            }
            List<ShardedManifest.Shard> index = new ArrayList<>();
            long first = 0;
            for (int k = 0; k < shardRows.length; k++) {
                long[] ids = new long[(int) shardRows[k] * 2];
                for (int r = 0; r < shardRows[k]; r++) {
                    ids[2 * r] = (first + r) / 4; // 4 tokens per input
                    ids[2 * r + 1] = (first + r) % 4;
                }
                index.add(writeShard(dir, "row_index/part-" + String.format("%05d", k) + ".npy", first, shardRows[k], 2, null, ids));
                first += shardRows[k];
            }
            ShardedManifest manifest = new ShardedManifest(first, models, index);
            manifest.write(dir.resolve(Manifest.FILE_NAME));
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ShardedManifest.Shard writeShard(Path dir, String rel, long first, long rows, int cols,
                                                    float[] f, long[] l) throws IOException {
        Path file = dir.resolve(rel);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            NpyStreamWriter w = f != null ? NpyStreamWriter.float32(rel, out, rows, cols) : NpyStreamWriter.int64(rel, out, rows, cols);
            if (f != null) {
                w.writeRows(f, 0, (int) rows);
            } else {
                w.writeRows(l, 0, (int) rows);
            }
            NpyStreamWriter.Written written = w.finish();
            return new ShardedManifest.Shard(rel, first, rows, written.bytes(), written.sha256());
        }
    }
}
