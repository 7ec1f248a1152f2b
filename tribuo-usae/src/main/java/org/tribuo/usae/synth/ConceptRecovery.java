package org.tribuo.usae.synth;

/**
 * Scores learned dictionaries against the planted shared directions. A universal dictionary must hold
 * concept c at ONE latent j in every model, so {@link #recover} maximises over j the minimum over models
 * of the cosine. Cosines are signed: codes are non-negative, so a flipped direction is not a recovery.
 * Dictionary rows are normalised here; a zero row has cosine 0 with everything. Ties go to the lowest latent.
 */
public final class ConceptRecovery {
    /** Default cosine threshold. */
    public static final double DEFAULT_THRESHOLD = 0.9;

    private ConceptRecovery() {
    }

    /** {@link #recover(float[][], int[], float[][][], double)} with threshold 0.9. */
    public static RecoveryResult recover(float[][] dictionaries, int[] dims, float[][][] sharedDirections) {
        return recover(dictionaries, dims, sharedDirections, DEFAULT_THRESHOLD);
    }

    /**
     * @param dictionaries     per model, D_i {@code [m x d_i]} row-major (same m for every model).
     * @param dims             d_i, {@code [M]}.
     * @param sharedDirections {@code [M][concepts][d_i]}, e.g. {@link PlantedData#sharedDirections()}.
     * @param threshold        cosine needed in every model.
     * @return the same-latent recovery.
     */
    public static RecoveryResult recover(float[][] dictionaries, int[] dims, float[][][] sharedDirections,
                                         double threshold) {
        double[][][] cos = cosines(dictionaries, dims, sharedDirections); // [M][concepts][m]
        int concepts = cos[0].length;
        int m = cos[0][0].length;
        int[] best = new int[concepts];
        double[] bestMin = new double[concepts];
        int recovered = 0;
        for (int c = 0; c < concepts; c++) {
            bestMin[c] = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double min = Double.POSITIVE_INFINITY;
                for (double[][] model : cos) {
                    min = Math.min(min, model[c][j]);
                }
                if (min > bestMin[c]) {
                    bestMin[c] = min;
                    best[c] = j;
                }
            }
            if (bestMin[c] >= threshold) {
                recovered++;
            }
        }
        return new RecoveryResult(threshold, (double) recovered / concepts, best, bestMin);
    }

    /** {@link #perModel(float[][], int[], float[][][], double)} with threshold 0.9. */
    public static PerModelRecovery perModel(float[][] dictionaries, int[] dims, float[][][] sharedDirections) {
        return perModel(dictionaries, dims, sharedDirections, DEFAULT_THRESHOLD);
    }

    /**
     * @param dictionaries     per model, D_i {@code [m x d_i]} row-major.
     * @param dims             d_i, {@code [M]}.
     * @param sharedDirections {@code [M][concepts][d_i]}.
     * @param threshold        cosine needed.
     * @return per model, the best latent of each concept chosen independently.
     */
    public static PerModelRecovery perModel(float[][] dictionaries, int[] dims, float[][][] sharedDirections,
                                            double threshold) {
        double[][][] cos = cosines(dictionaries, dims, sharedDirections);
        int models = cos.length;
        int concepts = cos[0].length;
        int[][] best = new int[models][concepts];
        double[][] bestCos = new double[models][concepts];
        double[] fraction = new double[models];
        for (int i = 0; i < models; i++) {
            int recovered = 0;
            for (int c = 0; c < concepts; c++) {
                double[] row = cos[i][c];
                int arg = 0;
                for (int j = 1; j < row.length; j++) {
                    if (row[j] > row[arg]) {
                        arg = j;
                    }
                }
                best[i][c] = arg;
                bestCos[i][c] = row[arg];
                if (row[arg] >= threshold) {
                    recovered++;
                }
            }
            fraction[i] = (double) recovered / concepts;
        }
        return new PerModelRecovery(threshold, best, bestCos, fraction);
    }

    /** @return {@code [M][concepts][m]} signed cosines between concept directions and dictionary rows. */
    private static double[][][] cosines(float[][] dictionaries, int[] dims, float[][][] sharedDirections) {
        int models = dims.length;
        if (dictionaries.length != models || sharedDirections.length != models) {
            throw new IllegalArgumentException("Need " + models + " dictionaries and direction sets, got "
                    + dictionaries.length + " and " + sharedDirections.length);
        }
        int m = -1;
        int concepts = sharedDirections[0].length;
        for (int i = 0; i < models; i++) {
            if (dictionaries[i].length % dims[i] != 0) {
                throw new IllegalArgumentException("Dictionary " + i + " length " + dictionaries[i].length
                        + " is not a multiple of d_i = " + dims[i]);
            }
            int mi = dictionaries[i].length / dims[i];
            if (m >= 0 && mi != m) {
                throw new IllegalArgumentException("Dictionaries disagree on m: " + m + " vs " + mi);
            }
            m = mi;
            if (sharedDirections[i].length != concepts) {
                throw new IllegalArgumentException("Models disagree on the number of shared concepts");
            }
        }
        if (m == 0 || concepts == 0) {
            throw new IllegalArgumentException("Need at least one latent and one concept");
        }
        double[][][] cos = new double[models][concepts][m];
        for (int i = 0; i < models; i++) {
            int d = dims[i];
            double[] rowNorm = new double[m];
            for (int j = 0; j < m; j++) {
                rowNorm[j] = norm(dictionaries[i], j * d, d);
            }
            for (int c = 0; c < concepts; c++) {
                float[] u = sharedDirections[i][c];
                if (u.length != d) {
                    throw new IllegalArgumentException("Concept " + c + " of model " + i + " has width " + u.length);
                }
                double un = norm(u, 0, d);
                for (int j = 0; j < m; j++) {
                    double dot = 0;
                    for (int t = 0; t < d; t++) {
                        dot += (double) dictionaries[i][j * d + t] * u[t];
                    }
                    double denom = rowNorm[j] * un;
                    cos[i][c][j] = denom == 0 ? 0 : dot / denom;
                }
            }
        }
        return cos;
    }

    private static double norm(float[] a, int offset, int len) {
        double s = 0;
        for (int t = 0; t < len; t++) {
            s += (double) a[offset + t] * a[offset + t];
        }
        return Math.sqrt(s);
    }
}
