package org.tribuo.usae.sae;

/**
 * SPARC's choice: the k largest entries of the pre-activations summed over the models (not ReLU'd), the same latents
 * for every model.
 */
public final class GlobalTopKSparsity implements RowwiseSparsity {
    /** The block (it has no settings). */
    public static final GlobalTopKSparsity INSTANCE = new GlobalTopKSparsity();

    private GlobalTopKSparsity() {
    }

    @Override
    public boolean joint() {
        return true;
    }

    @Override
    public void selectRows(float[][] pres, int m, int k, int[][] idx, float[][] val, int lo, int hi) {
        float[] sum = new float[m];
        float[] topValues = new float[k];
        for (int n = lo; n < hi; n++) {
            SummedRows.sum(pres, n * m, m, sum);
            TopK.select(sum, 0, m, k, false, idx[0], n * k, topValues);
            for (int i = 1; i < idx.length; i++) {
                System.arraycopy(idx[0], n * k, idx[i], n * k, k);
            }
        }
        for (int i = 0; i < pres.length; i++) {
            RowwiseSparsity.reluValues(pres[i], m, k, idx[i], val[i], lo, hi);
        }
    }

    @Override
    public int[][] referenceIndices(double[][] pres, int rows, int m, int k) {
        double[] sum = SummedRows.sum(pres);
        int[] shared = new int[rows * k];
        for (int n = 0; n < rows; n++) {
            TopK.select(sum, n * m, m, k, shared, n * k);
        }
        int[][] idx = new int[pres.length][];
        for (int i = 0; i < pres.length; i++) {
            idx[i] = shared.clone();
        }
        return idx;
    }

    @Override
    public String formula() {
        return "idx = top-k of the SUM of every model's pre per row; z_i = relu(pre_i) at idx";
    }

    @Override
    public String label() {
        return "global TopK";
    }

    @Override
    public String toString() {
        return "GlobalTopKSparsity";
    }
}
