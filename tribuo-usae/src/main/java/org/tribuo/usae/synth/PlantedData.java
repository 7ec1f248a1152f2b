package org.tribuo.usae.synth;

/**
 * Output of {@link PlantedConcepts}. Row r of every model block is the same token.
 *
 * @param names             model names, {@code [M]}.
 * @param dims              widths d_i, {@code [M]}.
 * @param rows              rows per model.
 * @param x                 per model, activations {@code [rows x d_i]} row-major.
 * @param sharedDirections  {@code [M][sharedConcepts][d_i]}, unit vectors; concept c is the same concept
 *                          in every model.
 * @param privateDirections {@code [M][privateConceptsPerModel][d_i]}, unit vectors, one model each.
 * @param scales            per model, the factor its activations were multiplied by, {@code [M]}.
 * @param offsets           per model, the vector then added to every row, {@code [M][d_i]}.
 * @param strongestShared   per row, the shared concept with the largest coefficient, {@code [rows]}: a
 *                          ground-truth label for the label metrics (probes, Jaccard, purity).
 */
public record PlantedData(String[] names, int[] dims, int rows, float[][] x, float[][][] sharedDirections,
                          float[][][] privateDirections, double[] scales, float[][] offsets, int[] strongestShared) {
    /** @return M. */
    public int numModels() {
        return dims.length;
    }

    /** @return number of shared concepts. */
    public int sharedConcepts() {
        return sharedDirections[0].length;
    }

    /** @param model i. @param row r. @return a copy of row r of model i, {@code [d_i]}. */
    public float[] row(int model, int row) {
        float[] out = new float[dims[model]];
        System.arraycopy(x[model], row * dims[model], out, 0, dims[model]);
        return out;
    }
}
