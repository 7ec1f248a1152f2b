package org.tribuo.usae.onnx.spark;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.tribuo.usae.data.Manifest;
import org.tribuo.usae.data.NpyStreamWriter;
import org.tribuo.usae.data.ShardedManifest;
import org.tribuo.usae.onnx.extract.ExtractionJob;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.extract.InputLabels;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Distributed extraction on Spark (RDD API): the inputs are cut into contiguous ranges, one per
 * partition; each task runs every model over its range and streams one shard per model (and a
 * row-index shard) to {@code <output>/<model>/part-NNNNN-a<attempt>.npy} through Hadoop's FileSystem
 * (HDFS, S3A, local). The driver then writes {@code manifest.json} ({@link ShardedManifest}), which is
 * the commit: it lists exactly the shards of the one successful attempt Spark reported per partition,
 * so files of failed, killed or speculative duplicate attempts are never read; they are deleted after
 * the commit. The manifest is written atomically (temp + rename, or a single PUT on object stores).
 */
public final class SparkExtraction {
    /** Object stores where rename is a copy and a single PUT is already atomic. */
    private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss");

    private SparkExtraction() {
    }

    /**
     * Called in a task after its shards are complete, before they are reported (tests inject failures here).
     */
    @FunctionalInterface
    public interface AfterWrite extends Serializable {
        /** @param written what the attempt wrote. */
        void accept(PartitionShards written);
    }

    /**
     * What the job committed.
     * @param output     the output folder URI.
     * @param manifest   the committed manifest.
     * @param inputs     inputs extracted.
     * @param partitions partitions (shards per model).
     * @param leftovers  files of other attempts removed after the commit.
     * @param seconds    wall time of the job, manifest included.
     */
    public record Result(String output, ShardedManifest manifest, long inputs, int partitions, int leftovers, double seconds) {
    }

    /**
     * Runs the extraction.
     *
     * @param sc         the Spark context.
     * @param source     inputs and models.
     * @param output     output folder URI (file:, hdfs:, s3a: ...); must not hold a manifest yet.
     * @param partitions partitions (at most one per input).
     * @param <T>        the input type.
     * @return what was committed.
     */
    public static <T> Result run(JavaSparkContext sc, SparkExtractionSource<T> source, String output, int partitions) {
        return run(sc, source, output, partitions, null);
    }

    /**
     * Same as {@link #run(JavaSparkContext, SparkExtractionSource, String, int)} with a hook run in each
     * task after its shards are written.
     *
     * @param sc         the Spark context.
     * @param source     inputs and models.
     * @param output     output folder URI.
     * @param partitions partitions.
     * @param afterWrite the hook, or null.
     * @param <T>        the input type.
     * @return what was committed.
     */
    public static <T> Result run(JavaSparkContext sc, SparkExtractionSource<T> source, String output, int partitions,
                                 AfterWrite afterWrite) {
        long t0 = System.nanoTime();
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        long n = source.numInputs();
        if (n < 1) {
            throw new IllegalArgumentException(source.describe() + ": no inputs to extract");
        }
        int p = (int) Math.min(partitions, n);
        Path out = new Path(output);
        FileSystem fs = ShardTask.fileSystem(out, sc.hadoopConfiguration());
        Path manifestPath = new Path(out, Manifest.FILE_NAME);
        try {
            if (fs.exists(manifestPath)) {
                throw new IllegalArgumentException(manifestPath + " already exists; extract into a new output folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + manifestPath, e);
        }
        long[] labels = source.labels();
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(source.describe() + ": " + labels.length + " labels for " + n + " inputs");
        }
        Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        List<Integer> ids = IntStream.range(0, p).boxed().toList();
        JavaRDD<PartitionShards> shards = sc.parallelize(ids, p).mapPartitionsWithIndex((partition, unused) -> {
            long from = n * partition / p;
            long to = n * (partition + 1) / p;
            ExtractionJob<T> job = new ExtractionJob<>(source.members(TaskSessionOptions.forCurrentTask()), source.batchSize());
            Path dir = new Path(output);
            PartitionShards written = ShardTask.run(ShardTask.fileSystem(dir, conf.value().value()), dir, job,
                    source.inputs(from, to), from, partition, org.apache.spark.TaskContext.get().taskAttemptId());
            if (afterWrite != null) {
                afterWrite.accept(written);
            }
            return List.of(written).iterator();
        }, false);
        List<PartitionShards> results = shards.collect();
        ShardedManifest manifest = manifestOf(results, p);
        if (labels != null) {
            writeLabels(fs, new Path(out, InputLabels.FILE), labels);
            if (source.labelNames() != null) {
                // the same label_names.txt as usae extract, so analyze/report can name the labels
                writeAtomically(fs, new Path(out, ImageExtraction.LABEL_NAMES),
                        (String.join("\n", source.labelNames()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        writeAtomically(fs, manifestPath, manifest.toJson());
        int leftovers = removeUnlisted(fs, out, manifest);
        conf.destroy();
        return new Result(output, manifest, n, p, leftovers, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The commit record: one shard per model per partition, in partition order, first rows by prefix sum.
     *
     * @param results what the tasks reported (one successful attempt per partition).
     * @param partitions partitions expected.
     * @return the manifest.
     * @throws IllegalStateException naming a partition reported twice or missing, or models that disagree.
     */
    static ShardedManifest manifestOf(List<PartitionShards> results, int partitions) {
        List<PartitionShards> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(PartitionShards::partition));
        if (sorted.size() != partitions) {
            throw new IllegalStateException(sorted.size() + " partition results for " + partitions + " partitions: "
                    + sorted.stream().map(r -> r.partition() + "/a" + r.taskAttemptId()).toList());
        }
        PartitionShards first = sorted.get(0);
        int m = first.names().size();
        List<List<ShardedManifest.Shard>> perModel = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            perModel.add(new ArrayList<>());
        }
        List<ShardedManifest.Shard> index = new ArrayList<>();
        long row = 0;
        for (int k = 0; k < sorted.size(); k++) {
            PartitionShards r = sorted.get(k);
            if (r.partition() != k) {
                throw new IllegalStateException("partition " + k + " has no result (got partition " + r.partition()
                        + " in its place); each partition must be reported exactly once");
            }
            if (!r.names().equals(first.names()) || !Arrays.equals(r.dims(), first.dims())) {
                throw new IllegalStateException("partition " + k + " wrote models " + r.names() + " of widths "
                        + Arrays.toString(r.dims()) + " but partition 0 wrote " + first.names() + " of widths " + Arrays.toString(first.dims()));
            }
            for (int i = 0; i < m; i++) {
                PartitionShards.ShardFile f = r.modelFiles().get(i);
                perModel.get(i).add(new ShardedManifest.Shard(f.path(), row, f.rows(), f.bytes(), f.sha256()));
            }
            PartitionShards.ShardFile f = r.rowIndexFile();
            index.add(new ShardedManifest.Shard(f.path(), row, f.rows(), f.bytes(), f.sha256()));
            row += r.rows();
        }
        List<ShardedManifest.ModelShards> models = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            models.add(new ShardedManifest.ModelShards(first.names().get(i), first.dims()[i], "<f4", perModel.get(i)));
        }
        return new ShardedManifest(row, models, index);
    }

    private static void writeLabels(FileSystem fs, Path file, long[] labels) {
        try (FSDataOutputStream os = fs.create(file, true)) {
            NpyStreamWriter w = NpyStreamWriter.int64(file.toString(), os, labels.length, 1);
            w.writeRows(labels, 0, labels.length);
            w.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Temp file and rename where rename is atomic (HDFS, local); a single PUT on object stores. */
    static void writeAtomically(FileSystem fs, Path target, byte[] bytes) {
        String scheme = fs.getUri().getScheme();
        boolean objectStore = scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT));
        Path tmp = objectStore ? target : new Path(target.getParent(), "." + target.getName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try {
            try (FSDataOutputStream os = fs.create(tmp, objectStore)) {
                os.write(bytes);
                os.hsync();
            }
            if (!objectStore && !fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("rename of " + tmp + " to " + target + " failed (does the target exist?)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Deletes shard files no attempt committed (failed or duplicate attempts). @return how many. */
    private static int removeUnlisted(FileSystem fs, Path out, ShardedManifest manifest) {
        Set<String> listed = new HashSet<>();
        List<String> folders = new ArrayList<>();
        for (ShardedManifest.ModelShards m : manifest.models()) {
            folders.add(m.name());
            m.shards().forEach(s -> listed.add(s.path()));
        }
        folders.add(ShardTask.ROW_INDEX);
        manifest.rowIndex().forEach(s -> listed.add(s.path()));
        int removed = 0;
        for (String folder : folders) {
            try {
                for (FileStatus st : fs.listStatus(new Path(out, folder))) {
                    String rel = folder + "/" + st.getPath().getName();
                    if (st.isFile() && !listed.contains(rel) && fs.delete(st.getPath(), false)) {
                        removed++;
                    }
                }
            } catch (IOException e) {
                // Leftovers are harmless (never listed); cleaning them is a courtesy.
            }
        }
        return removed;
    }
}
