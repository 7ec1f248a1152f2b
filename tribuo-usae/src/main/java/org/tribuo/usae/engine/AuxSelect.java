package org.tribuo.usae.engine;

/**
 * The latents of the auxiliary losses, as slot codes: only positive values matter (a zero slot
 * decodes to nothing and passes no gradient), so each row keeps its top positive candidates.
 */
final class AuxSelect {
    private AuxSelect() {
    }

    /**
     * Official half-aux: the top {@code floor(m/2)} of {@code relu(pre)} with the row's selected
     * latents zeroed.
     * @param pre {@code [rows x m]} pre-activations.
     * @param selected the row's TopK codes.
     * @return aux codes {@code [rows x m/2]} (scratch-backed).
     */
    static SlotCodes half(float[] pre, SlotCodes selected, int m, Scratch s, String tag) {
        int rows = selected.rows;
        SlotCodes out = SlotCodes.zeros(s, tag, rows, m / 2);
        // rows are independent: split over rows, each thread with its own work row and keys
        SparsePool.forRange(rows, (part, lo, hi) -> {
            float[] row = SparsePool.threadRow(m);
            long[] keys = SparsePool.threadKeys(m);
            for (int n = lo; n < hi; n++) {
                for (int j = 0; j < m; j++) {
                    row[j] = Math.max(0f, pre[n * m + j]);
                }
                for (int j = 0; j < selected.slots; j++) {
                    row[selected.idx[n * selected.slots + j]] = 0f;
                }
                SlotSelect.topPositive(row, m, n, keys, out);
            }
        });
        return out;
    }

    /**
     * SPARC AuxK: the top {@code slots} pre-activations among dead latents, then ReLU.
     * @param pre {@code [rows x m]} pre-activations.
     * @param dead {@code [m]} dead mask.
     * @return aux codes {@code [rows x slots]} (scratch-backed).
     */
    static SlotCodes dead(float[] pre, boolean[] dead, int slots, int rows, Scratch s, String tag) {
        int m = dead.length;
        SlotCodes out = SlotCodes.zeros(s, tag, rows, slots);
        SparsePool.forRange(rows, (part, lo, hi) -> {
            float[] row = SparsePool.threadRow(m);
            long[] keys = SparsePool.threadKeys(m);
            for (int n = lo; n < hi; n++) {
                for (int j = 0; j < m; j++) {
                    row[j] = dead[j] ? pre[n * m + j] : 0f;
                }
                SlotSelect.topPositive(row, m, n, keys, out);
            }
        });
        return out;
    }
}
