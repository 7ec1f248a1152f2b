package org.tribuo.usae.engine;

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

    /** Float twin of {@link #select(double[], int, int, int, int[], int)}. */
    public static void select(float[] row, int off, int n, int k, int[] out, int outOff) {
        int size = 0;
        for (int j = 0; j < n; j++) {
            float v = row[off + j];
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
}
