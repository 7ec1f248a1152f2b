package org.tribuo.usae.sae;

/**
 * Selection of the k largest entries of a row. Ties go to the lower index, so the result is
 * deterministic (PyTorch's tie order is unspecified; the official code does not depend on it).
 */
public final class TopK {
    private TopK() {
    }

    /**
     * Writes the indices of the k largest values of {@code row[off .. off+n)} to
     * {@code out[outOff .. outOff+k)}, in descending value order.
     * @param row values.
     * @param off first value.
     * @param n number of values.
     * @param k how many to select (k <= n).
     * @param out destination of the selected indices (0-based within the row).
     * @param outOff first destination slot.
     */
    public static void select(double[] row, int off, int n, int k, int[] out, int outOff) {
        // Insertion into a sorted top list: O(n k) worst case, fine for the reference path.
        int size = 0;
        for (int j = 0; j < n; j++) {
            double v = row[off + j];
            if (size == k && !(v > row[off + out[outOff + k - 1]])) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && v > row[off + out[outOff + pos - 1]]) {
                out[outOff + pos] = out[outOff + pos - 1];
                pos--;
            }
            out[outOff + pos] = j;
        }
    }

    /**
     * Float twin of {@link #select(double[], int, int, int, int[], int)}, same result and tie order.
     * Allocates a work array of k floats: the engine's hot path uses the overload taking one.
     */
    public static void select(float[] row, int off, int n, int k, int[] out, int outOff) {
        select(row, off, n, k, false, out, outOff, new float[Math.max(0, Math.min(k, n))]);
    }

    /**
     * The k largest of {@code row[off .. off+n)}, or of {@code relu(row[..])} when {@code relu}
     * (without writing the ReLU anywhere), in descending order with ties to the lower index: the
     * indices go to {@code out[outOff .. outOff+k)}, the ranked values to {@code topValues[0 .. k)}.
     * If k > n only the first n slots are written.
     * <p>One pass keeps the current top list sorted, its k-th value in a local threshold: an entry
     * enters only if it beats that threshold (ties lose to the earlier, lower-indexed entry), which
     * for rows in no particular order happens about {@code k ln(n/k)} times, so the pass is mostly
     * one compare per entry. Ranking relu(v) against a threshold t >= 0 is the same as ranking v
     * (relu only lifts negatives to 0, which never beat t), so after the first k entries the scan
     * compares the raw values; rows with fewer than k positives keep the lowest-indexed zeros, as
     * ranking a ReLU'd copy would. The insertions compare the same values in the same order as
     * the original insertion loop over a ReLU'd copy, so the result is the same, NaN included.
     *
     * @param row values.
     * @param off first value.
     * @param n number of values.
     * @param k how many to select.
     * @param relu whether to rank {@code max(0, v)} instead of v.
     * @param out destination of the selected indices (0-based within the row).
     * @param outOff first destination slot.
     * @param topValues work array of at least {@code min(k, n)} floats; receives the ranked values.
     */
    public static void select(float[] row, int off, int n, int k, boolean relu, int[] out, int outOff,
                              float[] topValues) {
        int size = Math.min(k, n);
        if (size <= 0) {
            return;
        }
        // the first `size` entries fill the list by insertion
        for (int j = 0; j < size; j++) {
            insert(relu ? Math.max(0f, row[off + j]) : row[off + j], j, j, topValues, out, outOff);
        }
        int last = size - 1;
        float threshold = topValues[last];
        for (int j = size; j < n; j++) {
            float v = row[off + j];
            if (v > threshold) {   // with relu, threshold >= 0 (or NaN), so v > threshold iff relu(v) > threshold
                // shift on the local values (a binary search plus two arraycopy calls measured slower at k = 32, 64)
                insert(v, j, last, topValues, out, outOff);
                threshold = topValues[last];
            }
        }
    }

    /**
     * Puts value v of index j into the descending list at or above slot {@code from}, shifting smaller
     * entries down one slot (the entry at {@code from} drops out); equal values keep their order.
     */
    private static void insert(float v, int j, int from, float[] topValues, int[] out, int outOff) {
        int pos = from;
        while (pos > 0 && v > topValues[pos - 1]) {
            topValues[pos] = topValues[pos - 1];
            out[outOff + pos] = out[outOff + pos - 1];
            pos--;
        }
        topValues[pos] = v;
        out[outOff + pos] = j;
    }
}
