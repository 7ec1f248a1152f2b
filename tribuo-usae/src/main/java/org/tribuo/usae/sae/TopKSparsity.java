package org.tribuo.usae.sae;

/**
 * The official USAE's choice: each model keeps the k largest entries of its own {@code relu(pre)}, ranked as if the
 * ReLU came first (zeros tie and go to lower indices).
 */
public final class TopKSparsity implements RowwiseSparsity {
    /** The block (it has no settings). */
    public static final TopKSparsity INSTANCE = new TopKSparsity();

    private TopKSparsity() {
    }

    @Override
    public boolean joint() {
        return false;
    }

    @Override
    public void selectRows(float[][] pres, int m, int k, int[][] idx, float[][] val, int lo, int hi) {
        float[] topValues = new float[k];
        for (int i = 0; i < pres.length; i++) {
            for (int n = lo; n < hi; n++) {
                // ranks relu(pre) in place: no ReLU'd copy of the row
                TopK.select(pres[i], n * m, m, k, true, idx[i], n * k, topValues);
            }
            RowwiseSparsity.reluValues(pres[i], m, k, idx[i], val[i], lo, hi);
        }
    }

    @Override
    public int[][] referenceIndices(double[][] pres, int rows, int m, int k) {
        int[][] idx = new int[pres.length][rows * k];
        for (int i = 0; i < pres.length; i++) {
            double[] relu = new double[pres[i].length];
            for (int q = 0; q < relu.length; q++) {
                relu[q] = Math.max(0, pres[i][q]);
            }
            for (int n = 0; n < rows; n++) {
                TopK.select(relu, n * m, m, k, idx[i], n * k);
            }
        }
        return idx;
    }

    @Override
    public String formula() {
        return "z = top-k of relu(pre) per row (other entries 0)";
    }

    @Override
    public String label() {
        return "TopK per model";
    }

    @Override
    public String toString() {
        return "TopKSparsity";
    }
}
