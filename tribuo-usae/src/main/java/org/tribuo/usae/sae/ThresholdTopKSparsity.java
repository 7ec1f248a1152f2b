package org.tribuo.usae.sae;

/**
 * BatchTopK's rule at inference: each model ranks its row's {@code relu(pre)} (TopK of the code width) and keeps the
 * values at or above its own threshold; the other slots hold 0. Rows are independent, so a code does not depend on
 * its batch.
 */
public final class ThresholdTopKSparsity implements RowwiseSparsity {
    /** The rule in the words of the exported forward pass (BatchTopK's at inference too). */
    static final String FORMULA = "z = top-maxRowSlots of relu(pre) per row, kept where >= the model's sparsity.threshold "
            + "(other entries 0)";

    private final float[] thresholds;

    /** @param thresholds per model taking part, in model order. */
    public ThresholdTopKSparsity(float[] thresholds) {
        this.thresholds = thresholds.clone();
    }

    @Override
    public boolean joint() {
        return false;
    }

    @Override
    public void selectRows(float[][] pres, int m, int slots, int[][] idx, float[][] val, int lo, int hi) {
        TopKSparsity.INSTANCE.selectRows(pres, m, slots, idx, val, lo, hi);
        for (int i = 0; i < val.length; i++) {
            float t = thresholds[i];
            float[] v = val[i];
            for (int q = lo * slots; q < hi * slots; q++) {
                if (v[q] < t) {
                    v[q] = 0f;
                }
            }
        }
    }

    @Override
    public int[][] referenceIndices(double[][] pres, int rows, int m, int slots) {
        return TopKSparsity.INSTANCE.referenceIndices(pres, rows, m, slots);
    }

    @Override
    public double[][] referenceValues(double[][] pres, int rows, int m, int slots, int[][] idx) {
        double[][] val = RowwiseSparsity.super.referenceValues(pres, rows, m, slots, idx);
        for (int i = 0; i < val.length; i++) {
            for (int q = 0; q < val[i].length; q++) {
                if (val[i][q] < thresholds[i]) {
                    val[i][q] = 0;
                }
            }
        }
        return val;
    }

    @Override
    public Sparsity atInference(UsaeParameters params, int[] models) {
        return this;
    }

    @Override
    public String formula() {
        return FORMULA;
    }

    @Override
    public String label() {
        return "TopK above a threshold";
    }

    @Override
    public String toString() {
        return "ThresholdTopKSparsity" + java.util.Arrays.toString(thresholds);
    }
}
