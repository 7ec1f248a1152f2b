package org.tribuo.usae.synth;

/**
 * Everything about a planted-concept config except its rows: concept directions and each model's
 * scale and offset. Shared by the in-memory generator and the streaming one.
 *
 * @param config            the settings it was drawn from.
 * @param sharedDirections  {@code [M][sharedConcepts][d_i]}, unit vectors.
 * @param privateDirections {@code [M][privateConceptsPerModel][d_i]}, unit vectors.
 * @param scales            per model, the factor applied to its activations, {@code [M]}.
 * @param offsets           per model, the vector added after scaling, {@code [M][d_i]}.
 */
public record PlantedGeometry(PlantedOptions config, float[][][] sharedDirections, float[][][] privateDirections,
                              double[] scales, float[][] offsets) {
    /** @return M. */
    public int numModels() {
        return sharedDirections.length;
    }

    /**
     * In place, {@code x = scale_i * x + offset_i} for every row (a no-op for scale 1, offset 0).
     * @param model i.
     * @param x {@code [rows x d_i]} row-major.
     * @param rows rows.
     */
    void scaleAndShift(int model, float[] x, int rows) {
        float s = (float) scales[model];
        float[] o = offsets[model];
        int d = o.length;
        if (s == 1f && isZero(o)) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            for (int t = 0; t < d; t++) {
                x[base + t] = s * x[base + t] + o[t];
            }
        }
    }

    private static boolean isZero(float[] v) {
        for (float f : v) {
            if (f != 0f) {
                return false;
            }
        }
        return true;
    }
}
