package org.tribuo.usae.sae;

/**
 * SPARC's dictionary: the forward pass uses the stored rows as they are; before each optimiser step the rows are
 * renormalised to unit norm and the gradient component parallel to each row is projected out, so the step moves
 * along the sphere.
 */
public final class ProjectedUnitDictionary implements DictionaryNormalization {
    /** The block (it has no settings). */
    public static final ProjectedUnitDictionary INSTANCE = new ProjectedUnitDictionary();

    private ProjectedUnitDictionary() {
    }

    @Override
    public float[] decoder(float[] w, int m, int d, float[] out) {
        return w;
    }

    @Override
    public float[] gradient(float[] w, int m, int d, float[] gradDecoder, float[] out) {
        System.arraycopy(gradDecoder, 0, out, 0, gradDecoder.length);
        return out;
    }

    @Override
    public void beforeUpdate(float[] w, float[] g, int m, int d) {
        for (int j = 0; j < m; j++) {
            int o = j * d;
            double norm = 0;
            for (int c = 0; c < d; c++) {
                norm += (double) w[o + c] * w[o + c];
            }
            float inv = (float) (1 / (Math.sqrt(norm) + 1e-8));
            double dot = 0;
            for (int c = 0; c < d; c++) {
                w[o + c] *= inv;
                dot += (double) w[o + c] * g[o + c];
            }
            for (int c = 0; c < d; c++) {
                g[o + c] -= (float) dot * w[o + c];
            }
        }
    }

    @Override
    public double[] referenceDecoder(double[] w, int m, int d) {
        return w;
    }

    @Override
    public double[] referenceGradient(double[] w, int m, int d, double[] gradDecoder) {
        return gradDecoder;
    }

    @Override
    public String toString() {
        return "ProjectedUnitDictionary";
    }
}
