package org.tribuo.usae.sae;

/**
 * Sparse concept codes of a block of rows: for row r, latent {@code indices[r*k + j]} has value
 * {@code values[r*k + j]}, j < k. Slots may hold zero values (a row with fewer than k positive
 * pre-activations); indices within a row are distinct.
 *
 * @param rows    number of rows.
 * @param k       slots per row.
 * @param values  {@code [rows x k]} code values.
 * @param indices {@code [rows x k]} latent ids.
 */
public record SparseCodes(int rows, int k, float[] values, int[] indices) {
    public SparseCodes {
        if (values.length != rows * k || indices.length != rows * k) {
            throw new IllegalArgumentException("SparseCodes needs rows*k = " + rows * k + " values and indices, got "
                    + values.length + " and " + indices.length);
        }
    }

    /** @param rows rows. @param k slots. @return zero codes. */
    public static SparseCodes zeros(int rows, int k) {
        return new SparseCodes(rows, k, new float[rows * k], new int[rows * k]);
    }

    /**
     * @param numLatents m.
     * @return the dense {@code [rows x m]} code matrix (tests and small data only).
     */
    public float[] toDense(int numLatents) {
        float[] dense = new float[rows * numLatents];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                dense[r * numLatents + indices[r * k + j]] += values[r * k + j];
            }
        }
        return dense;
    }

    /** @return the number of strictly positive codes divided by rows (mean L0). */
    public double meanL0() {
        long nz = 0;
        for (float v : values) {
            if (v != 0f) {
                nz++;
            }
        }
        return rows == 0 ? 0 : (double) nz / rows;
    }
}
