package org.tribuo.usae.sae;

import java.util.Arrays;

/**
 * BatchTopK (Bussmann, Leask and Nanda, "BatchTopK Sparse Autoencoders", 2024): while training, each model keeps the
 * {@code rows x k} largest entries of its {@code relu(pre)} over the whole batch, so a row holds as many latents as
 * it needs and k is the mean per row. Codes are {@link Architecture#slots()} wide: a row keeps at most that many
 * (its own TopK of that width are the candidates), and the batch's {@code rows x k} largest candidates stay active;
 * the rest of the slots hold 0. Equal values at the cut are kept in row-major order.
 *
 * <p>At inference a row must not depend on its batch: each model keeps the entries of its row's candidates at or
 * above its threshold ({@link ModelParameters#INFERENCE_THRESHOLD}). The paper estimates the threshold as the
 * running mean of each batch's smallest kept value; here the trainer sets it after training to the value that keeps
 * a mean of k latents per row on the training rows ({@link #estimateThreshold}), which needs no state in checkpoints.
 */
public final class BatchTopKSparsity implements Sparsity {
    private final int k;

    /** @param k the mean active latents per row. */
    public BatchTopKSparsity(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public boolean joint() {
        return false;
    }

    @Override
    public void select(float[][] pres, int m, int slots, int[][] idx, float[][] val, int rows, RowSplit split) {
        TopKSparsity.INSTANCE.select(pres, m, slots, idx, val, rows, split);
        for (float[] v : val) {
            keepLargest(v, (long) rows * k);
        }
    }

    @Override
    public int[][] referenceIndices(double[][] pres, int rows, int m, int slots) {
        return TopKSparsity.INSTANCE.referenceIndices(pres, rows, m, slots);
    }

    @Override
    public double[][] referenceValues(double[][] pres, int rows, int m, int slots, int[][] idx) {
        double[][] val = Sparsity.super.referenceValues(pres, rows, m, slots, idx);
        for (double[] v : val) {
            long keep = (long) rows * k;
            if (keep >= v.length) {
                continue;
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double cut = sorted[(int) (v.length - keep)];
            long ties = keep;
            for (double x : v) {
                ties -= x > cut ? 1 : 0;
            }
            for (int q = 0; q < v.length; q++) {
                if (v[q] < cut || (v[q] == cut && ties-- <= 0)) {
                    v[q] = 0;
                }
            }
        }
        return val;
    }

    /** Zeroes all but the {@code keep} largest values, keeping equal values at the cut in index order. */
    private static void keepLargest(float[] v, long keep) {
        if (keep >= v.length) {
            return;
        }
        // the cut is an order statistic, so any exact selection finds the same value; quickselect is linear where
        // the reference path's sort is n log n
        float cut = kthSmallest(v.clone(), (int) (v.length - keep));
        long ties = keep;
        for (float x : v) {
            ties -= x > cut ? 1 : 0;
        }
        for (int q = 0; q < v.length; q++) {
            if (v[q] < cut || (v[q] == cut && ties-- <= 0)) {
                v[q] = 0f;
            }
        }
    }

    /**
     * Quickselect (Hoare partition, median-of-three pivot), in {@link Float#compare} order as {@code Arrays.sort}.
     * @param a values, reordered.
     * @param rank 0-based rank in ascending order.
     * @return the value {@code Arrays.sort} would put at {@code rank}.
     */
    static float kthSmallest(float[] a, int rank) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            float pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (Float.compare(a[i], pivot) < 0) {
                    i++;
                }
                while (Float.compare(a[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return a[rank];
            }
        }
        return a[rank];
    }

    private static float median(float x, float y, float z) {
        if (Float.compare(x, y) > 0) {
            float t = x;
            x = y;
            y = t;
        }
        if (Float.compare(y, z) > 0) {
            y = z;
        }
        return Float.compare(x, y) > 0 ? x : y;
    }

    /**
     * The threshold that keeps a mean of k latents per row: the {@code rows x k}-th largest of the rows' candidate
     * values (0 when fewer are positive, which keeps every positive candidate). Sorts the candidates in place.
     */
    @Override
    public float estimateThreshold(float[] candidates, int count, long rows) {
        long keep = rows * k;
        if (keep >= count) {
            return 0f;
        }
        Arrays.sort(candidates, 0, count);
        return candidates[(int) (count - keep)];
    }

    @Override
    public Sparsity atInference(UsaeParameters params, int[] models) {
        float[] thresholds = new float[models.length];
        for (int i = 0; i < models.length; i++) {
            thresholds[i] = params.model(models[i]).get(ModelParameters.INFERENCE_THRESHOLD)[0];
        }
        return new ThresholdTopKSparsity(thresholds);
    }

    @Override
    public boolean inferenceThreshold() {
        return true;
    }

    @Override
    public String formula() {
        return ThresholdTopKSparsity.FORMULA;
    }

    @Override
    public String label() {
        return "BatchTopK";
    }

    @Override
    public String toString() {
        return "BatchTopKSparsity(k=" + k + ")";
    }
}
