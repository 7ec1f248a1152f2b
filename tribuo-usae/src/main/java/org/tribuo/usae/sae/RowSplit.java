package org.tribuo.usae.sae;

/**
 * How an engine runs a block's row-independent work: it splits {@code [0, rows)} into contiguous parts, one per
 * thread, and calls the body on each. Blocks write disjoint rows per part and combine per-row results in row
 * order, so what they compute does not depend on the split.
 */
@FunctionalInterface
public interface RowSplit {
    /** The work on rows {@code [lo, hi)}. */
    @FunctionalInterface
    interface Body {
        void run(int lo, int hi);
    }

    /** Runs everything on the calling thread. */
    RowSplit SERIAL = (rows, body) -> body.run(0, rows);

    /** @param rows the rows. @param body the work, called once per part. */
    void forRange(int rows, Body body);
}
