package org.tribuo.usae.onnx.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.tribuo.usae.data.NpyStreamWriter;
import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.ExtractionJob;
import org.tribuo.usae.onnx.extract.TokenGrid;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's work: run every model over inputs {@code [from, to)} batch by batch and stream each
 * model's rows (and the row index) straight to its final, attempt-unique shard name through Hadoop's
 * FileSystem: no rename, which S3 cannot do atomically. Rows are input-major, token p of input i at
 * row {@code (i - from) * tokens + p}, exactly as {@link ExtractionJob} writes them. On failure the
 * attempt deletes what it wrote (best effort; the manifest never lists it either way).
 */
final class ShardTask {
    static final String ROW_INDEX = "row_index";

    private ShardTask() {
    }

    /**
     * @param fs   the output file system (raw, so local runs leave no .crc files).
     * @param out  the output folder.
     * @param job  the models and batch size.
     * @param inputs inputs {@code [from, from + inputs.size())}.
     * @param from first input id.
     * @param partition partition number.
     * @param attempt Spark task attempt id.
     * @return what was written.
     */
    static <T> PartitionShards run(FileSystem fs, Path out, ExtractionJob<T> job, List<T> inputs, long from,
                                   int partition, long attempt) {
        List<ExtractionJob.Member<T>> members = job.members();
        int m = members.size();
        List<String> names = members.stream().map(ExtractionJob.Member::name).toList();
        if (names.contains(ROW_INDEX)) {
            throw new IllegalArgumentException("model name '" + ROW_INDEX + "' is reserved for the row-index shards");
        }
        int n = inputs.size();
        int batch = job.batchSize();
        // The first batch fixes tokens per input and widths, hence every shard's row count, so headers go first.
        TokenGrid[] grids = job.runBatch(inputs.subList(0, Math.min(batch, n)));
        int tokens = grids[0].tokens();
        long rows = (long) n * tokens;
        int[] dims = new int[m];
        for (int i = 0; i < m; i++) {
            dims[i] = grids[i].c();
        }
        List<String> paths = new ArrayList<>();
        List<OutputStream> streams = new ArrayList<>();
        NpyStreamWriter[] writers = new NpyStreamWriter[m + 1];
        try {
            for (int i = 0; i <= m; i++) {
                String rel = PartitionShards.shardPath(partition, i < m ? names.get(i) : ROW_INDEX, attempt);
                paths.add(rel);
                OutputStream os = fs.create(new Path(out, rel), false);
                streams.add(os);
                writers[i] = i < m ? NpyStreamWriter.float32(new Path(out, rel).toString(), os, rows, dims[i])
                        : NpyStreamWriter.int64(new Path(out, rel).toString(), os, rows, 2);
            }
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(start + batch, n);
                if (start > 0) {
                    grids = job.runBatch(inputs.subList(start, end));
                }
                append(writers, grids, dims, tokens, from + start, end - start, names);
            }
            List<PartitionShards.ShardFile> files = new ArrayList<>();
            PartitionShards.ShardFile index = null;
            for (int i = 0; i <= m; i++) {
                NpyStreamWriter.Written w = writers[i].finish();
                streams.get(i).close();
                if (i < m) {
                    files.add(PartitionShards.ShardFile.of(paths.get(i), w));
                } else {
                    index = PartitionShards.ShardFile.of(paths.get(i), w);
                }
            }
            return new PartitionShards(partition, attempt, from, n, tokens, names, dims, files, index);
        } catch (IOException | RuntimeException e) {
            for (OutputStream os : streams) {
                try {
                    os.close();
                } catch (IOException ignored) {
                    // deleting below is what matters
                }
            }
            for (String rel : paths) {
                try {
                    fs.delete(new Path(out, rel), false);
                } catch (IOException ignored) {
                    // never listed in the manifest anyway; the driver removes leftovers after the commit
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("partition " + partition + ": cannot write shards under " + out, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void append(NpyStreamWriter[] writers, TokenGrid[] grids, int[] dims, int tokens, long firstId, int n,
                               List<String> names) {
        for (int i = 0; i < grids.length; i++) {
            if (grids[i].c() != dims[i] || grids[i].tokens() != tokens) {
                throw new IllegalStateException(names.get(i) + ": batch gives " + grids[i].tokens() + " tokens of width "
                        + grids[i].c() + ", the first batch gave " + tokens + " of width " + dims[i]);
            }
            writers[i].writeRows(grids[i].data(), 0, n * tokens); // [n, h, w, c] row-major = [n * tokens, c]
        }
        long[] index = new long[2 * n * tokens];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < tokens; p++) {
                index[2 * (b * tokens + p)] = firstId + b;
                index[2 * (b * tokens + p) + 1] = p;
            }
        }
        writers[grids.length].writeRows(index, 0, n * tokens);
    }

    /** @return the file system of {@code out}; the raw local one for file: URIs (no .crc side files). */
    static FileSystem fileSystem(Path out, Configuration conf) {
        try {
            FileSystem fs = out.getFileSystem(conf);
            return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + out, e);
        }
    }
}
