package org.tribuo.usae.synth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlantedConceptsTest {
    private static final PlantedOptions SMALL = PlantedOptions.demo().withRows(200);

    @Test
    void shapesAndUnitDirections() {
        PlantedData d = PlantedConcepts.generate(SMALL);
        assertEquals(3, d.numModels());
        assertEquals(200, d.rows());
        assertEquals(32, d.sharedConcepts());
        for (int i = 0; i < 3; i++) {
            assertEquals(200 * d.dims()[i], d.x()[i].length);
            assertEquals(32, d.sharedDirections()[i].length);
            assertEquals(8, d.privateDirections()[i].length);
            for (float[] u : d.sharedDirections()[i]) {
                assertEquals(d.dims()[i], u.length);
                assertEquals(1.0, norm(u), 1e-5);
            }
            for (float[] u : d.privateDirections()[i]) {
                assertEquals(1.0, norm(u), 1e-5);
            }
        }
    }

    @Test
    void deterministicForTheSeed() {
        PlantedData a = PlantedConcepts.generate(SMALL);
        PlantedData b = PlantedConcepts.generate(SMALL);
        PlantedData c = PlantedConcepts.generate(SMALL.withSeed(7));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.x()[i], b.x()[i]);
            assertFalse(Arrays.equals(a.x()[i], c.x()[i]));
        }
    }

    @Test
    void sharedCoefficientIsTheSameInEveryModel() {
        // No noise, no private concepts, one shared concept per row: row r of model i is coef * u_c^(i).
        PlantedOptions cfg = new PlantedOptions(new int[]{12, 8, 16}, new String[]{"a", "b", "c"}, 6, 0, 1, 0.0,
                100, 3L);
        PlantedData d = PlantedConcepts.generate(cfg);
        for (int r = 0; r < d.rows(); r++) {
            float[] x0 = d.row(0, r);
            int concept = argmaxCos(x0, d.sharedDirections()[0]);
            double coef = norm(x0);
            assertTrue(coef >= 0.5 - 1e-5, "coefficients are |N(0,1)| + 0.5");
            for (int i = 0; i < 3; i++) {
                float[] xi = d.row(i, r);
                float[] u = d.sharedDirections()[i][concept];
                for (int t = 0; t < xi.length; t++) {
                    assertEquals(coef * u[t], xi[t], 1e-5, "row " + r + " model " + i);
                }
            }
        }
    }

    @Test
    void sameConceptDiffersAcrossModelsButGeometryIsSimilar() {
        PlantedData d = PlantedConcepts.generate(PlantedOptions.demo().withRows(0));
        float[][] u0 = d.sharedDirections()[0];
        float[][] u2 = d.sharedDirections()[2];
        // Gram matrices of the concept directions roughly agree between models (random maps preserve
        // inner products approximately), which is what makes cross-model prediction learnable.
        double diff = 0;
        double scale = 0;
        for (int a = 0; a < u0.length; a++) {
            for (int b = a + 1; b < u0.length; b++) {
                double g0 = dot(u0[a], u0[b]);
                double g2 = dot(u2[a], u2[b]);
                diff += (g0 - g2) * (g0 - g2);
                scale += g0 * g0 + g2 * g2;
            }
        }
        assertTrue(diff < scale, "Gram matrices should be positively related: " + diff + " vs " + scale);
    }

    @Test
    void rejectsBadConfig() {
        assertThrows(IllegalArgumentException.class, () -> new PlantedOptions(new int[]{4}, new String[]{"a", "b"},
                2, 0, 1, 0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new PlantedOptions(new int[]{4}, new String[]{"a"},
                2, 0, 3, 0, 10, 1));
    }

    static int argmaxCos(float[] x, float[][] dirs) {
        int best = 0;
        for (int c = 1; c < dirs.length; c++) {
            if (dot(x, dirs[c]) > dot(x, dirs[best])) {
                best = c;
            }
        }
        return best;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (double) a[t] * b[t];
        }
        return s;
    }

    @Test
    void strongestSharedConceptIsTheRowsLargestCoefficient() {
        // one shared concept per row, no noise, no private concepts: row = coef * u_c, so c is the only
        // direction with cosine 1, and it must be the recorded label
        PlantedOptions one = new PlantedOptions(new int[]{12, 8}, new String[]{"a", "b"}, 6, 0, 1, 0.0, 50, 3L, 0, 0);
        PlantedData d = PlantedConcepts.generate(one);
        for (int r = 0; r < d.rows(); r++) {
            float[] x = d.row(1, r);
            int c = d.strongestShared()[r];
            assertEquals(1.0, dot(x, d.sharedDirections()[1][c]) / norm(x), 1e-5, "row " + r);
        }
        // two per row: the label is one of the row's concepts, and the labels are not all the same
        PlantedOptions two = new PlantedOptions(new int[]{12, 8}, new String[]{"a", "b"}, 6, 0, 2, 0.0, 200, 3L, 0, 0);
        PlantedData d2 = PlantedConcepts.generate(two);
        assertTrue(Arrays.stream(d2.strongestShared()).distinct().count() > 3);
        for (int r = 0; r < d2.rows(); r++) {
            float[] x = d2.row(0, r);
            double best = Double.NEGATIVE_INFINITY;
            for (float[] u : d2.sharedDirections()[0]) {
                best = Math.max(best, dot(x, u));
            }
            // the strongest concept (coefficient >= the other's) projects at least as far, up to the
            // cross term between two nearly orthogonal random directions
            assertTrue(dot(x, d2.sharedDirections()[0][d2.strongestShared()[r]]) >= 0.5 * best, "row " + r);
        }
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
