package org.tribuo.usae.bench;

import org.tribuo.usae.data.ActivationSetWriter;
import org.tribuo.usae.data.Manifest;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.engine.EngineKind;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code usae bench --throughput --stream-gb 1,5}: does training memory grow with the data? For each
 * size, a float32 activation set of about that many GB at the shape's widths is written once into a
 * folder under the temp directory (reused by later runs: a complete set has its manifest), then the
 * {@code cpu} engine trains the same number of steps streaming from it (rows are read per batch, by
 * positional reads unless {@code -Dusae.npyRead=mmap} maps the files). Peak RSS ({@code VmHWM}) counts
 * mapped file pages that were read, which the kernel can drop at any time, so a sampler also records
 * the peaks of {@code RssAnon} (heap, native buffers: what the process itself holds) and
 * {@code RssFile} separately.
 */
final class StreamMemoryCheck {
    /** Distinct standard-normal values the rows are cut from (writing 5 GB of fresh normals would dominate). */
    private static final int POOL_VALUES = 1 << 22;
    private static final int BLOCK_ROWS = 4096;
    private static final long SAMPLE_MS = 100;

    /** One size's result: bytes of data, rows, steps trained, ms per step, and the peaks in bytes. */
    record Result(double dataGb, long rows, long steps, double msPerStep, long peakRss, long peakAnon, long peakFile) {
    }

    private StreamMemoryCheck() {
    }

    /**
     * @param shape the shape (widths, m, k, rows per step).
     * @param sizesGb data sizes in GB (10^9 bytes), each > 0.
     * @param steps timed steps per size (the same for every size); 0 = one pass over the smallest set.
     * @param recipe the recipe trained.
     * @param seed trainer and data seed.
     * @param root folder the sets are written into (and found in by later runs), e.g. the temp directory.
     * @param out progress.
     * @return one result per size.
     */
    static List<Result> run(ThroughputShape shape, List<Double> sizesGb, long steps, String recipe, long seed,
                            Path root, PrintStream out) {
        long bytesPerRow = 4L * shape.totalWidth();
        List<Long> rowsPerSize = new ArrayList<>();
        for (double gb : sizesGb) {
            if (!(gb > 0)) {
                throw new IllegalArgumentException("--stream-gb: sizes must be > 0 GB, got " + gb);
            }
            rowsPerSize.add(Math.max(2L * shape.rows(), (long) (gb * 1e9 / bytesPerRow)));
        }
        long timed = steps > 0 ? steps : Math.max(1, rowsPerSize.stream().mapToLong(Long::longValue).min().orElse(0)
                / shape.rows());
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < sizesGb.size(); i++) {
            long rows = rowsPerSize.get(i);
            Path folder = root.resolve(String.format(Locale.ROOT,
                    "usae-stream-%s-%d-rows", String.join("x", java.util.Arrays.stream(shape.dims())
                            .mapToObj(Integer::toString).toArray(String[]::new)), rows));
            ensureSet(folder, shape.dims(), rows, seed, out);
            out.printf(Locale.ROOT, "  streaming %s (%.2f GB, %d rows): %d steps of %s on cpu...%n", folder,
                    rows * bytesPerRow / 1e9, rows, timed, recipe);
            out.flush();
            try (NpyActivationSet set = NpyActivationSet.open(folder); RssSampler sampler = RssSampler.start()) {
                ThroughputCell c = new ThroughputRunner(shape, 1, (int) timed, 1, seed).run(set, recipe, EngineKind.CPU);
                Result r = new Result(rows * bytesPerRow / 1e9, rows, timed, c.msPerStep(), c.peakRssBytes(),
                        sampler.peakAnon(), sampler.peakFile());
                results.add(r);
                out.printf(Locale.ROOT, "    %.1f ms/step; peak RSS %.2f GiB, RssAnon peak %.2f GiB, RssFile peak %.2f GiB%n",
                        r.msPerStep(), gib(r.peakRss()), gib(r.peakAnon()), gib(r.peakFile()));
            }
        }
        return results;
    }

    /** Writes the set unless a complete one (with its manifest) is already there. */
    private static void ensureSet(Path folder, int[] dims, long rows, long seed, PrintStream out) {
        if (Files.exists(folder.resolve(Manifest.FILE_NAME))) {
            out.println("  reusing " + folder);
            return;
        }
        if (Files.exists(folder)) {
            throw new IllegalArgumentException("--stream-gb: " + folder + " exists without a manifest (an interrupted write?); "
                    + "delete it and run again");
        }
        out.printf(Locale.ROOT, "  writing %d rows to %s (once; later runs reuse it)...%n", rows, folder);
        out.flush();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pool = new float[POOL_VALUES];
        for (int t = 0; t < pool.length; t++) {
            pool[t] = (float) gaussian(rng);
        }
        List<String> names = new ArrayList<>();
        float[][] blocks = new float[dims.length][];
        for (int m = 0; m < dims.length; m++) {
            names.add("m" + m);
            blocks[m] = new float[BLOCK_ROWS * dims[m]];
        }
        ActivationSetWriter w = ActivationSetWriter.create(folder, names, dims, false);
        try {
            for (long done = 0; done < rows; ) {
                int n = (int) Math.min(BLOCK_ROWS, rows - done);
                for (int m = 0; m < dims.length; m++) {
                    for (int r = 0; r < n; r++) {
                        // each row a random window of the pool: distinct rows without a normal draw per value
                        System.arraycopy(pool, rng.nextInt(pool.length - dims[m]), blocks[m], r * dims[m], dims[m]);
                    }
                }
                w.append(blocks, n);
                done += n;
            }
            w.close();
        } catch (RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }

    /** Polls /proc/self/status for the peaks of RssAnon and RssFile while training runs. */
    private static final class RssSampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peakAnon = -1;
        private volatile long peakFile = -1;

        private RssSampler() {
            thread = new Thread(this::loop, "usae-rss-sampler");
            thread.setDaemon(true);
        }

        static RssSampler start() {
            RssSampler s = new RssSampler();
            s.thread.start();
            return s;
        }

        private void loop() {
            while (running) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("RssAnon:")) {
                        peakAnon = Math.max(peakAnon, kb(line));
                    } else if (line.startsWith("RssFile:")) {
                        peakFile = Math.max(peakFile, kb(line));
                    }
                }
            } catch (IOException | RuntimeException e) {
                running = false;   // not Linux: the peaks stay -1 (unknown)
            }
        }

        private static long kb(String line) {
            return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]) * 1024L;
        }

        long peakAnon() {
            return peakAnon;
        }

        long peakFile() {
            return peakFile;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            sample();
        }
    }
}
