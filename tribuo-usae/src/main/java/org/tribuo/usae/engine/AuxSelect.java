package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * The latents of the auxiliary losses, as slot codes: only positive values matter (a zero slot
 * decodes to nothing and passes no gradient), so each row keeps its top positive candidates. When
 * a row has no more than {@code slots} of them they are all taken in index order and the rest of
 * its slots stay zero padding (index 0, value 0); otherwise the top {@code slots} in
 * {@link TopK}'s order (value descending, ties to the lower index).
 */
final class AuxSelect {
    private AuxSelect() {
    }

    /**
     * Official half-aux: the top {@code floor(m/2)} of {@code relu(pre)} with the row's selected
     * latents zeroed, i.e. the top positive non-selected pre-activations.
     * @param pre {@code [rows x m]} pre-activations.
     * @param selected the row's TopK codes.
     * @return aux codes {@code [rows x m/2]} (scratch-backed).
     */
    static SlotCodes half(float[] pre, SlotCodes selected, int m, Scratch s, String tag) {
        int rows = selected.rows;
        int k = selected.slots;
        SlotCodes out = unfilled(s, tag, rows, m / 2);
        // rows are independent: split over rows, each thread with its own marks and keys
        SparsePool.forRange(rows, (part, lo, hi) -> {
            Arrays.fill(out.grad, lo * out.slots, hi * out.slots, 0f);
            long[] keys = SparsePool.threadKeys(m);
            long[] buffer = SparsePool.threadKeyBuffer(m);
            int[] ints = SparsePool.threadInts(RankKeys.COUNTS + m);
            // ints: radix counts, then one 0/1 mark per latent (1 = selected in the current row)
            int marks = RankKeys.COUNTS;
            Arrays.fill(ints, marks, marks + m, 0);
            for (int n = lo; n < hi; n++) {
                int o = n * m;
                for (int j = 0; j < k; j++) {
                    ints[marks + selected.idx[n * k + j]] = 1;
                }
                int count = 0;
                for (int j = 0; j < m; j++) {
                    float v = pre[o + j];
                    // written always, kept (count advanced) only for positive unselected entries
                    keys[count] = RankKeys.of(v, j);
                    count += RankKeys.isPositive(Float.floatToRawIntBits(v)) & (ints[marks + j] ^ 1);
                }
                for (int j = 0; j < k; j++) {
                    ints[marks + selected.idx[n * k + j]] = 0;
                }
                writeSlots(pre, o, keys, count, n, buffer, ints, out);
            }
        });
        return out;
    }

    /**
     * SPARC AuxK: the top {@code slots} pre-activations among dead latents, then ReLU (only the
     * positive ones carry value). The dead latents are listed once, so rows scan only those.
     * @param pre {@code [rows x m]} pre-activations.
     * @param dead {@code [m]} dead mask.
     * @return aux codes {@code [rows x slots]} (scratch-backed).
     */
    static SlotCodes dead(float[] pre, boolean[] dead, int slots, int rows, Scratch s, String tag) {
        int m = dead.length;
        SlotCodes out = unfilled(s, tag, rows, slots);
        int[] deadList = s.ints(tag + ".dead", m);
        int numDead = 0;
        for (int j = 0; j < m; j++) {
            if (dead[j]) {
                deadList[numDead++] = j;
            }
        }
        int listed = numDead;
        SparsePool.forRange(rows, (part, lo, hi) -> {
            Arrays.fill(out.grad, lo * slots, hi * slots, 0f);
            if (listed == 0) {
                Arrays.fill(out.idx, lo * slots, hi * slots, 0);   // no dead latent: all padding
                Arrays.fill(out.val, lo * slots, hi * slots, 0f);
                return;
            }
            long[] keys = SparsePool.threadKeys(listed);
            long[] buffer = SparsePool.threadKeyBuffer(listed);
            int[] counts = SparsePool.threadInts(RankKeys.COUNTS);
            for (int n = lo; n < hi; n++) {
                int o = n * m;
                int count = 0;
                for (int q = 0; q < listed; q++) {
                    int j = deadList[q];
                    float v = pre[o + j];
                    keys[count] = RankKeys.of(v, j);
                    count += RankKeys.isPositive(Float.floatToRawIntBits(v));
                }
                writeSlots(pre, o, keys, count, n, buffer, counts, out);
            }
        });
        return out;
    }

    /**
     * The same scratch arrays as {@link SlotCodes#zeros}, left unfilled: every row's indices and
     * values are written by the selection, and its gradients zeroed by the thread that owns the row
     * (rather than serial fills of {@code [rows x m/2]} arrays before the parallel part).
     */
    private static SlotCodes unfilled(Scratch s, String tag, int rows, int slots) {
        return new SlotCodes(rows, slots, s.ints(tag + ".idx", rows * slots), s.floats(tag + ".val", rows * slots),
                s.floats(tag + ".grad", rows * slots));
    }

    /**
     * Writes row n's slots from its candidate keys (ascending index order): all of them if they fit,
     * else the top {@code out.slots}; remaining slots become padding.
     */
    private static void writeSlots(float[] pre, int o, long[] keys, int count, int n, long[] buffer, int[] counts,
                                   SlotCodes out) {
        int slots = out.slots;
        int base = n * slots;
        if (count > slots) {
            if (slots > 0) {
                RankKeys.sortSmallest(keys, count, slots, buffer, counts);
            }
            count = slots;
        }
        for (int q = 0; q < count; q++) {
            int j = RankKeys.index(keys[q]);
            out.idx[base + q] = j;
            out.val[base + q] = pre[o + j];
        }
        for (int q = count; q < slots; q++) {
            out.idx[base + q] = 0;
            out.val[base + q] = 0f;
        }
    }
}
