package org.tribuo.usae.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The shared pool of the sparse kernels (gather decode, scatter-add backward, row selection,
 * element-wise passes): one daemon {@link ForkJoinPool} sized to the available processors, created
 * once. Work is split into contiguous parts, one per thread; each kernel partitions so that no two
 * parts write the same element (rows for row-local work, latent ranges for scatter-adds into
 * dictionary/encoder rows). Every part then sums in the same order as a single thread, so results
 * are bit-identical for any thread count.
 */
final class SparsePool {
    /** Body of one part: indices {@code [lo, hi)} of the split range, {@code part} in {@code [0, parts)}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int part, int lo, int hi);
    }

    /** The pool as the blocks' {@link org.tribuo.usae.sae.RowSplit}. */
    static final org.tribuo.usae.sae.RowSplit ROWS = (rows, body) -> forRange(rows, (part, lo, hi) -> body.run(lo, hi));

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
    private static final ForkJoinPool POOL = new ForkJoinPool(PROCESSORS, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setDaemon(true);
        t.setName("usae-sparse-" + t.getPoolIndex());
        return t;
    }, null, false);
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<long[]> KEYS = ThreadLocal.withInitial(() -> new long[0]);
    private static final ThreadLocal<long[]> KEY_BUFFER = ThreadLocal.withInitial(() -> new long[0]);
    private static final ThreadLocal<int[]> INTS = ThreadLocal.withInitial(() -> new int[0]);
    /**
     * How many parts work is split into: the processors, or the system property {@code usae.sparseThreads}
     * (benchmarks compare), unless a test pins it.
     */
    private static volatile int parts = Math.max(1, Integer.getInteger("usae.sparseThreads", PROCESSORS));

    private SparsePool() {
    }

    /** @return the number of parts a range is split into (at most this many threads work at once). */
    static int parts() {
        return parts;
    }

    /**
     * Pins the number of parts (tests compare 1 and 2 threads); returns the previous value so the
     * caller can restore it.
     * @param count parts, at least 1.
     * @return the previous count.
     */
    static int setParts(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("parts must be >= 1, got " + count);
        }
        int old = parts;
        parts = count;
        return old;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into up to {@link #parts()} contiguous parts;
     * returns when all are done. With one part (or n < 2) it runs on the calling thread.
     * @param n range size.
     * @param body the work of one part.
     */
    static void forRange(int n, RangeBody body) {
        int p = Math.min(parts, n);
        if (p <= 1) {
            body.run(0, 0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            int part = i;
            int lo = (int) ((long) n * i / p);
            int hi = (int) ((long) n * (i + 1) / p);
            tasks.add(ForkJoinTask.adapt(() -> body.run(part, lo, hi)));
        }
        if (ForkJoinTask.inForkJoinPool()) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            for (ForkJoinTask<?> t : tasks) {
                POOL.execute(t);
            }
            for (ForkJoinTask<?> t : tasks) {
                t.join();
            }
        }
    }

    /** @return this thread's float work row of at least {@code len} (contents left over). */
    static float[] threadRow(int len) {
        float[] r = ROW.get();
        if (r.length < len) {
            r = new float[len];
            ROW.set(r);
        }
        return r;
    }

    /** @return this thread's long work array of at least {@code len} (contents left over). */
    static long[] threadKeys(int len) {
        long[] k = KEYS.get();
        if (k.length < len) {
            k = new long[len];
            KEYS.set(k);
        }
        return k;
    }

    /**
     * @return this thread's second long work array of at least {@code len} (contents left over), for
     * kernels that move keys between two arrays (radix passes).
     */
    static long[] threadKeyBuffer(int len) {
        long[] k = KEY_BUFFER.get();
        if (k.length < len) {
            k = new long[len];
            KEY_BUFFER.set(k);
        }
        return k;
    }

    /** @return this thread's int work array of at least {@code len} (contents left over). */
    static int[] threadInts(int len) {
        int[] v = INTS.get();
        if (v.length < len) {
            v = new int[len];
            INTS.set(v);
        }
        return v;
    }
}
