package org.tribuo.usae.metrics;

import java.util.Arrays;

/**
 * Linear sum assignment (the problem {@code scipy.optimize.linear_sum_assignment} solves): match
 * rows to columns one-to-one so that the summed cost of the chosen cells is minimal (or maximal).
 * With {@code rows <= cols} every row gets a distinct column; with {@code rows > cols} every column
 * gets a distinct row and the remaining rows stay unassigned.
 *
 * <p>Own implementation of the shortest-augmenting-path Hungarian method with dual potentials
 * (Kuhn-Munkres in the Jonker-Volgenant form): one augmentation per row, each a Dijkstra-like scan
 * over the columns. Cost: O(n² · c) time for n = min(rows, cols) and c = max(rows, cols), i.e.
 * O(n³) for a square matrix; memory O(c) besides the matrix. Costs are float32 (a 6144 x 6144
 * cosine matrix is 151 MB as floats, twice that as doubles); potentials are accumulated in double.
 * A 6144² assignment does at most 6144 augmentations of up to 6144 column scans each; measured on
 * one core of the 2-vCPU development VM: 0.37 s for a random 2000² cosine matrix, 7.6 s for 6144²
 * (structured matrices from trained dictionaries may need more augmentation steps).
 */
public final class Hungarian {
    private Hungarian() {
    }

    /**
     * @param cost     {@code [rows x cols]} row-major, finite.
     * @param rows     rows (>= 1).
     * @param cols     columns (>= 1).
     * @param maximize maximise the summed cost instead of minimising it.
     * @return {@code [rows]}: the column assigned to each row, or -1 when {@code rows > cols} left it out.
     * @throws IllegalArgumentException for a size mismatch or a non-finite cost (naming the cell).
     */
    public static int[] assign(float[] cost, int rows, int cols, boolean maximize) {
        if (rows < 1 || cols < 1 || (long) rows * cols != cost.length) {
            throw new IllegalArgumentException("cost must be [rows x cols] = [" + rows + " x " + cols + "], got "
                    + cost.length + " values");
        }
        for (int q = 0; q < cost.length; q++) {
            if (!Float.isFinite(cost[q])) {
                throw new IllegalArgumentException("cost[" + q / cols + "][" + q % cols + "] is " + cost[q]
                        + ", expected a finite value");
            }
        }
        if (rows <= cols) {
            return solve(cost, rows, cols, maximize ? -1.0 : 1.0);
        }
        // More rows than columns: assign every column a row on the transpose.
        float[] t = new float[cost.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = cost[r * cols + c];
            }
        }
        int[] rowOfCol = solve(t, cols, rows, maximize ? -1.0 : 1.0);
        int[] colOfRow = new int[rows];
        Arrays.fill(colOfRow, -1);
        for (int c = 0; c < cols; c++) {
            colOfRow[rowOfCol[c]] = c;
        }
        return colOfRow;
    }

    /**
     * @param a {@code [n x m]}, n <= m.
     * @param sign 1 to minimise a, -1 to minimise -a (i.e. maximise a).
     * @return {@code [n]} the column of each row.
     */
    private static int[] solve(float[] a, int n, int m, double sign) {
        // 1-based rows and columns; column 0 is the virtual start of each augmenting path.
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] rowOfCol = new int[m + 1]; // 0 = free column
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        int[] usedCols = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            rowOfCol[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            int usedCount = 0;
            do {
                used[j0] = true;
                usedCols[usedCount++] = j0;
                int i0 = rowOfCol[j0];
                int base = (i0 - 1) * m - 1; // a[i0-1][j-1] = a[base + j]
                double ui0 = u[i0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = sign * a[base + j] - ui0 - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                // Shift the potentials so the tree's reduced costs stay 0 and the frontier moves by delta.
                for (int q = 0; q < usedCount; q++) {
                    int j = usedCols[q];
                    u[rowOfCol[j]] += delta;
                    v[j] -= delta;
                }
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOfCol[j0] != 0);
            // Flip the augmenting path back to the start.
            do {
                int j1 = way[j0];
                rowOfCol[j0] = rowOfCol[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] colOfRow = new int[n];
        for (int j = 1; j <= m; j++) {
            if (rowOfCol[j] != 0) {
                colOfRow[rowOfCol[j] - 1] = j - 1;
            }
        }
        return colOfRow;
    }

    /**
     * @param cost {@code [rows x cols]}.
     * @param cols columns.
     * @param assignment {@link #assign}'s result.
     * @return the summed cost of the assigned cells (double).
     */
    public static double total(float[] cost, int cols, int[] assignment) {
        double s = 0;
        for (int r = 0; r < assignment.length; r++) {
            if (assignment[r] >= 0) {
                s += cost[r * cols + assignment[r]];
            }
        }
        return s;
    }
}
