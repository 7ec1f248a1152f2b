package org.tribuo.usae.engine;

/**
 * The engine's thread pool for element-wise work outside the engine package (the optimiser): a range
 * split into contiguous parts, one per thread. Bodies must write disjoint elements per index, so
 * results do not depend on the thread count.
 */
public final class ParallelRange {
    /** Below this many elements the work runs on the calling thread (forking costs more). */
    public static final int MIN_PARALLEL = 1 << 15;

    private ParallelRange() {
    }

    /** Body over indices {@code [lo, hi)}. */
    @FunctionalInterface
    public interface Body {
        void run(int lo, int hi);
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split across the pool when n is at least {@link #MIN_PARALLEL}.
     * @param n range size.
     * @param body the work of one part.
     */
    public static void forEach(int n, Body body) {
        if (n < MIN_PARALLEL) {
            body.run(0, n);
            return;
        }
        SparsePool.forRange(n, (part, lo, hi) -> body.run(lo, hi));
    }
}
