package org.tribuo.usae.sae;

/**
 * Global TopK for some slots, per-model TopK for the rest: per row, slots {@code [0, sharedK)} hold the TopK of the
 * pre-activations summed over the models (shared by every model), slots {@code [sharedK, k)} each model's own TopK of
 * {@code relu(pre)} among the latents not shared. Shared concepts fire together in every model; a model still has
 * slots for what only it encodes.
 */
public final class HybridTopKSparsity implements RowwiseSparsity {
    private final int sharedK;

    /** @param sharedK the globally chosen slots ({@code >= 1}, and below k when used). */
    public HybridTopKSparsity(int sharedK) {
        if (sharedK < 1) {
            throw new IllegalArgumentException("sharedK must be >= 1, got " + sharedK);
        }
        this.sharedK = sharedK;
    }

    /** @return the globally chosen slots. */
    public int sharedK() {
        return sharedK;
    }

    @Override
    public boolean joint() {
        return true;
    }

    @Override
    public void selectRows(float[][] pres, int m, int k, int[][] idx, float[][] val, int lo, int hi) {
        float[] sum = new float[m];
        float[] topValues = new float[k];
        int[] common = new int[sharedK];
        float[] own = new float[m];
        for (int n = lo; n < hi; n++) {
            int o = n * m;
            SummedRows.sum(pres, o, m, sum);
            TopK.select(sum, 0, m, sharedK, false, common, 0, topValues);
            for (int i = 0; i < pres.length; i++) {
                float[] pre = pres[i];
                for (int j = 0; j < m; j++) {
                    own[j] = Math.max(0f, pre[o + j]);
                }
                // below every ReLU value, so a shared latent is never picked twice
                for (int c : common) {
                    own[c] = -1f;
                }
                System.arraycopy(common, 0, idx[i], n * k, sharedK);
                TopK.select(own, 0, m, k - sharedK, false, idx[i], n * k + sharedK, topValues);
            }
        }
        for (int i = 0; i < pres.length; i++) {
            RowwiseSparsity.reluValues(pres[i], m, k, idx[i], val[i], lo, hi);
        }
    }

    @Override
    public int[][] referenceIndices(double[][] pres, int rows, int m, int k) {
        double[] sum = SummedRows.sum(pres);
        int[][] idx = new int[pres.length][rows * k];
        int[] common = new int[sharedK];
        double[] own = new double[m];
        for (int n = 0; n < rows; n++) {
            TopK.select(sum, n * m, m, sharedK, common, 0);
            for (int i = 0; i < pres.length; i++) {
                for (int j = 0; j < m; j++) {
                    own[j] = Math.max(0, pres[i][n * m + j]);
                }
                // below every ReLU value, so a shared latent is never picked twice
                for (int c : common) {
                    own[c] = -1;
                }
                System.arraycopy(common, 0, idx[i], n * k, sharedK);
                TopK.select(own, 0, m, k - sharedK, idx[i], n * k + sharedK);
            }
        }
        return idx;
    }

    @Override
    public String formula() {
        return "shared = top-sharedK of the SUM of every model's pre per row; idx_i = shared + top-(k - sharedK) of "
                + "relu(pre_i) among the other latents; z_i = relu(pre_i) at idx_i";
    }

    @Override
    public String label() {
        return "hybrid TopK";
    }

    @Override
    public String toString() {
        return "HybridTopKSparsity(sharedK=" + sharedK + ")";
    }
}
