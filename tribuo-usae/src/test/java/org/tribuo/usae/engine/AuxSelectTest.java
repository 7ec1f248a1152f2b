package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.TopKSparsity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Half-aux and dead AuxK selection against a plain reference written here: a row's candidates are
 * its positive non-selected (half) or positive dead (AuxK) pre-activations; if they fit in the slots
 * they are all taken in index order, otherwise the first {@code slots} of a sort by (value
 * descending, index ascending); the remaining slots are padding (index 0, value 0). Rows mix ties,
 * zeros of both signs, negatives, NaN, and counts below, at and above the slots; results must be the
 * same for 1, 2 and 3 threads, and gradients zeroed.
 */
class AuxSelectTest {

    /** Reference slots of one row from its candidate indices (ascending). */
    private static void expectRow(float[] pre, int o, List<Integer> candidates, int slots, int[] idx, float[] val,
                                  int base) {
        List<Integer> chosen = new ArrayList<>(candidates);
        if (chosen.size() > slots) {
            chosen.sort(Comparator.<Integer>comparingDouble(j -> -pre[o + j]).thenComparingInt(j -> j));
            chosen = chosen.subList(0, slots);
        }
        for (int q = 0; q < slots; q++) {
            idx[base + q] = q < chosen.size() ? chosen.get(q) : 0;
            val[base + q] = q < chosen.size() ? pre[o + chosen.get(q)] : 0f;
        }
    }

    /** Rows whose share of positive entries varies from none to all, with many ties. */
    private static float[] rows(Random r, int rows, int m) {
        float[] pre = new float[rows * m];
        float[] pool = {0f, -0f, 0.5f, 0.5f, 1f, 1f, 2f, -1f, Float.NaN, 1e-42f};
        for (int n = 0; n < rows; n++) {
            double positiveShare = n % 5 == 0 ? 0.02 : (double) n / rows;
            for (int j = 0; j < m; j++) {
                float v = r.nextInt(4) == 0 ? pool[r.nextInt(pool.length)] : (float) Math.abs(r.nextGaussian());
                pre[n * m + j] = r.nextDouble() < positiveShare ? v : -Math.abs(v) - 0.25f;
            }
        }
        return pre;
    }

    private static SlotCodes selected(float[] pre, int rows, int m, int k) {
        SlotCodes c = new SlotCodes(rows, k, new int[rows * k], new float[rows * k], new float[rows * k]);
        Selection.run(TopKSparsity.INSTANCE, new float[][]{pre}, m, c);
        return c;
    }

    @Test
    void halfTakesThePositiveUnselectedEntriesAsTheReference() {
        Random r = new Random(21);
        int rows = 40;
        int m = 90;   // 45 slots: rows range from few positives to nearly all
        int k = 6;
        float[] pre = rows(r, rows, m);
        SlotCodes sel = selected(pre, rows, m, k);
        int slots = m / 2;
        int[] idx = new int[rows * slots];
        float[] val = new float[rows * slots];
        for (int n = 0; n < rows; n++) {
            List<Integer> cand = new ArrayList<>();
            int[] chosen = Arrays.copyOfRange(sel.idx, n * k, n * k + k);
            for (int j = 0; j < m; j++) {
                int jj = j;
                if (pre[n * m + j] > 0f && Arrays.stream(chosen).noneMatch(c -> c == jj)) {
                    cand.add(j);
                }
            }
            expectRow(pre, n * m, cand, slots, idx, val, n * slots);
        }
        for (int parts = 1; parts <= 3; parts++) {
            Scratch s = new Scratch();
            dirty(s, "aux", rows * slots);
            SlotCodes out = withParts(parts, () -> AuxSelect.half(pre, sel, m, s, "aux"));
            assertArrayEquals(idx, out.idx, "parts=" + parts);
            assertArrayEquals(val, out.val, 0f, "parts=" + parts);
            assertArrayEquals(new float[rows * slots], out.grad, 0f, "parts=" + parts);
        }
    }

    @Test
    void deadTakesThePositiveDeadEntriesAsTheReference() {
        Random r = new Random(22);
        int rows = 40;
        int m = 300;
        float[] pre = rows(r, rows, m);
        boolean[][] masks = {new boolean[m], new boolean[m], new boolean[m], new boolean[m]};
        Arrays.fill(masks[1], true);
        for (int j = 0; j < m; j++) {
            masks[2][j] = j % 7 == 3;
            masks[3][j] = r.nextInt(3) == 0;
        }
        for (boolean[] dead : masks) {
            // 16 slots among up to 300 dead (top list) and 64 among up to 300 (radix)
            for (int slots : new int[]{16, 64}) {
                int[] idx = new int[rows * slots];
                float[] val = new float[rows * slots];
                for (int n = 0; n < rows; n++) {
                    List<Integer> cand = new ArrayList<>();
                    for (int j = 0; j < m; j++) {
                        if (dead[j] && pre[n * m + j] > 0f) {
                            cand.add(j);
                        }
                    }
                    expectRow(pre, n * m, cand, slots, idx, val, n * slots);
                }
                for (int parts = 1; parts <= 3; parts++) {
                    Scratch s = new Scratch();
                    dirty(s, "aux", rows * slots);
                    SlotCodes out = withParts(parts, () -> AuxSelect.dead(pre, dead, slots, rows, s, "aux"));
                    String what = "slots=" + slots + " parts=" + parts;
                    assertArrayEquals(idx, out.idx, what);
                    assertArrayEquals(val, out.val, 0f, what);
                    assertArrayEquals(new float[rows * slots], out.grad, 0f, what);
                }
            }
        }
    }

    /** Leaves garbage in the scratch arrays the selection reuses, as a previous step would. */
    private static void dirty(Scratch s, String tag, int len) {
        Arrays.fill(s.ints(tag + ".idx", len), 13);
        Arrays.fill(s.floats(tag + ".val", len), 13f);
        Arrays.fill(s.floats(tag + ".grad", len), 13f);
    }

    private static SlotCodes withParts(int parts, java.util.function.Supplier<SlotCodes> body) {
        int old = SparsePool.setParts(parts);
        try {
            return body.get();
        } finally {
            SparsePool.setParts(old);
        }
    }
}
