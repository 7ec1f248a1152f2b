package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.GlobalTopKSparsity;
import org.tribuo.usae.sae.TopK;
import org.tribuo.usae.sae.TopKSparsity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float TopK (one pass, local threshold, ReLU ranked in place) against a plain sort of the row's
 * indices by (value descending, index ascending), on random rows full of ties, zeros (both signs),
 * negatives, infinities and rows with fewer positives than k; and against the double insertion
 * reference. Also {@link SlotSelect#topK}, which writes {@code relu(pre)} at the chosen latents.
 */
class TopKFloatTest {

    /** Sort-based reference: the first min(k, n) indices of the row ordered by (value desc, index asc). */
    static int[] sortedTopK(float[] row, int off, int n, int k, boolean relu) {
        float[] ranked = new float[n];
        for (int j = 0; j < n; j++) {
            // +0f folds -0 into +0: the float comparisons of the selection treat them as equal
            ranked[j] = (relu ? Math.max(0f, row[off + j]) : row[off + j]) + 0f;
        }
        return IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -ranked[j]).thenComparingInt(j -> j))
                .limit(Math.min(k, n)).mapToInt(Integer::intValue).toArray();
    }

    /** Values from a small set, so ties are frequent; zeros of both signs, negatives, infinities. */
    static float[] tiedRow(Random r, int len) {
        float[] pool = {-0f, 0f, 0f, 1f, 1f, 2f, 2.5f, 2.5f, -1f, -3f, 7f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1e-40f};
        float[] row = new float[len];
        for (int j = 0; j < len; j++) {
            row[j] = r.nextInt(3) == 0 ? (float) r.nextGaussian() : pool[r.nextInt(pool.length)];
        }
        return row;
    }

    @Test
    void matchesASortOfTheRowWithTiesZerosAndNegatives() {
        Random r = new Random(7);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(200);
            int k = 1 + r.nextInt(n + 5);   // k > n too: only n slots are written
            int off = r.nextInt(4);
            float[] data = tiedRow(r, off + n);
            if (trial % 4 == 0) {
                // mostly negative: fewer positives than k, relu fills with the lowest-indexed zeros
                for (int j = 0; j < data.length; j++) {
                    data[j] = -Math.abs(data[j]) - (j % 3 == 0 ? 0f : 1f);
                }
            }
            for (boolean relu : new boolean[]{false, true}) {
                int[] expected = sortedTopK(data, off, n, k, relu);
                int[] out = new int[2 + k];
                Arrays.fill(out, -5);
                float[] values = new float[Math.min(k, n)];
                TopK.select(data, off, n, k, relu, out, 2, values);
                String what = "trial " + trial + " n=" + n + " k=" + k + " relu=" + relu;
                assertArrayEquals(expected, Arrays.copyOfRange(out, 2, 2 + expected.length), what);
                for (int q = expected.length; q < k; q++) {
                    assertEquals(-5, out[2 + q], what + ": slot beyond n must stay unwritten");
                }
                for (int q = 0; q < expected.length; q++) {
                    float v = data[off + expected[q]];
                    assertEquals(relu ? Math.max(0f, v) : v, values[q], 0f, what + " value of slot " + q);
                }
            }
        }
    }

    @Test
    void equalsTheDoubleInsertionReferenceOnGaussianRows() {
        Random r = new Random(11);
        int n = 500;
        for (int trial = 0; trial < 50; trial++) {
            int k = 1 + r.nextInt(70);
            float[] row = new float[n];
            double[] asDouble = new double[n];
            for (int j = 0; j < n; j++) {
                row[j] = (float) r.nextGaussian();
                asDouble[j] = row[j];
            }
            int[] reference = new int[k];
            TopK.select(asDouble, 0, n, k, reference, 0);
            int[] fast = new int[k];
            TopK.select(row, 0, n, k, fast, 0);
            assertArrayEquals(reference, fast, "trial " + trial + " k=" + k);
        }
    }

    @Test
    void ascendingRowsInsertEveryEntryAndStillMatch() {
        // the worst case of the threshold scan: every entry beats the current k-th
        float[] row = new float[300];
        for (int j = 0; j < row.length; j++) {
            row[j] = j / 10;   // runs of 10 equal values: ties inside each run go to the lower index
        }
        int[] out = new int[25];
        TopK.select(row, 0, row.length, 25, true, out, 0, new float[25]);
        // top value 29 holds 290..299, then 28 holds 280..289, then 27 gives 270..274
        int[] expected = IntStream.concat(IntStream.concat(IntStream.range(290, 300), IntStream.range(280, 290)),
                IntStream.range(270, 275)).toArray();
        assertArrayEquals(expected, out);
    }

    @Test
    void reluRankingOfAnAllNegativeRowTakesTheFirstIndices() {
        // relu makes every entry 0: all tie, so the k lowest indices in index order; the raw ranking
        // instead takes the largest negatives -1 (index 2), -2 (index 0), -2 (index 4)
        float[] row = {-2f, -5f, -1f, -3f, -2f};
        int[] out = new int[3];
        TopK.select(row, 0, 5, 3, true, out, 0, new float[3]);
        assertArrayEquals(new int[]{0, 1, 2}, out);
        TopK.select(row, 0, 5, 3, false, out, 0, new float[3]);
        assertArrayEquals(new int[]{2, 0, 4}, out);
    }

    @Test
    void selectionWritesReluOfThePreActivationsAtTheSortedIndicesForAnyThreadCount() {
        Random r = new Random(3);
        int rows = 23;
        int m = 57;
        int k = 9;
        // per-model TopK ranks relu(pre); global TopK of one model ranks pre itself
        float[] pre = tiedRow(r, rows * m);
        float[] scores = pre;
        for (boolean relu : new boolean[]{false, true}) {
            for (int parts = 1; parts <= 3; parts++) {
                int old = SparsePool.setParts(parts);
                SlotCodes codes = new SlotCodes(rows, k, new int[rows * k], new float[rows * k], new float[rows * k]);
                try {
                    Selection.run(relu ? TopKSparsity.INSTANCE : GlobalTopKSparsity.INSTANCE, new float[][]{pre}, m, codes);
                } finally {
                    SparsePool.setParts(old);
                }
                for (int n = 0; n < rows; n++) {
                    int[] expected = sortedTopK(scores, n * m, m, k, relu);
                    String what = "relu=" + relu + " parts=" + parts + " row " + n;
                    assertArrayEquals(expected, Arrays.copyOfRange(codes.idx, n * k, n * k + k), what);
                    for (int q = 0; q < k; q++) {
                        assertEquals(Math.max(0f, pre[n * m + expected[q]]), codes.val[n * k + q], 0f, what);
                    }
                }
            }
        }
    }
}
