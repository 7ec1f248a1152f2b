package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HungarianTest {

    @Test
    void handMadeThreeByThree() {
        // cost      c0 c1 c2
        //   r0       4  1  3
        //   r1       2  0  5
        //   r2       3  2  2
        // The 6 permutations: (0,1,2)=4+0+2=6, (0,2,1)=4+5+2=11, (1,0,2)=1+2+2=5, (1,2,0)=1+5+3=9,
        // (2,0,1)=3+2+2=7, (2,1,0)=3+0+3=6. Minimum 5 at r0->c1, r1->c0, r2->c2; maximum 11 at (0,2,1).
        float[] cost = {4, 1, 3, 2, 0, 5, 3, 2, 2};
        int[] min = Hungarian.assign(cost, 3, 3, false);
        assertArrayEquals(new int[]{1, 0, 2}, min);
        assertEquals(5.0, Hungarian.total(cost, 3, min), 0.0);
        int[] max = Hungarian.assign(cost, 3, 3, true);
        assertArrayEquals(new int[]{0, 2, 1}, max);
        assertEquals(11.0, Hungarian.total(cost, 3, max), 0.0);
    }

    @Test
    void matchesBruteForceOnRandomSquareAndRectangularMatrices() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int rows = 1; rows <= 7; rows++) {
                for (int cols = 1; cols <= 7; cols++) {
                    float[] cost = new float[rows * cols];
                    for (int q = 0; q < cost.length; q++) {
                        // integers in [-5, 5) give many ties; floats otherwise
                        cost[q] = seed % 2 == 0 ? rng.nextInt(-5, 5) : (float) rng.nextDouble(-1, 1);
                    }
                    for (boolean maximize : new boolean[]{false, true}) {
                        int[] a = Hungarian.assign(cost, rows, cols, maximize);
                        checkOneToOne(a, rows, cols);
                        double best = bruteForce(cost, rows, cols, maximize);
                        assertEquals(best, Hungarian.total(cost, cols, a), 1e-5,
                                "seed " + seed + " " + rows + "x" + cols + " max=" + maximize);
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hungarian.assign(new float[5], 2, 3, false));
        assertTrue(e.getMessage().contains("[2 x 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Hungarian.assign(new float[]{0, 1, Float.NaN, 2}, 2, 2, false));
        assertTrue(e.getMessage().contains("cost[1][0]"), e.getMessage());
    }

    private static void checkOneToOne(int[] a, int rows, int cols) {
        boolean[] seen = new boolean[cols];
        int assigned = 0;
        for (int c : a) {
            if (c >= 0) {
                assertTrue(!seen[c], "column " + c + " assigned twice in " + Arrays.toString(a));
                seen[c] = true;
                assigned++;
            }
        }
        assertEquals(Math.min(rows, cols), assigned);
    }

    /** Best total over all injective maps of the smaller side into the larger (at most 7!/0! = 5040). */
    private static double bruteForce(float[] cost, int rows, int cols, boolean maximize) {
        boolean transpose = rows > cols;
        int n = transpose ? cols : rows;
        int m = transpose ? rows : cols;
        double[] best = {maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY};
        search(cost, cols, transpose, n, m, 0, new boolean[m], 0.0, maximize, best);
        return best[0];
    }

    private static void search(float[] cost, int cols, boolean transpose, int n, int m, int i, boolean[] used,
                               double sum, boolean maximize, double[] best) {
        if (i == n) {
            best[0] = maximize ? Math.max(best[0], sum) : Math.min(best[0], sum);
            return;
        }
        for (int j = 0; j < m; j++) {
            if (!used[j]) {
                used[j] = true;
                double c = transpose ? cost[j * cols + i] : cost[i * cols + j];
                search(cost, cols, transpose, n, m, i + 1, used, sum + c, maximize, best);
                used[j] = false;
            }
        }
    }
}
