package org.tribuo.usae.synth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark config, model-specific scale and offset, and the streaming generator. */
class PlantedBenchmarkTest {

    @Test
    void benchmarkConfigIsTheDocumentedSet() {
        PlantedOptions b = PlantedOptions.benchmark();
        assertArrayEquals(new int[]{64, 96, 128}, b.dims());
        assertEquals(512, b.sharedConcepts());
        assertEquals(64, b.privateConceptsPerModel());
        assertEquals(8, b.activePerRow());
        assertTrue(b.noiseStd() > 0 && b.scaleSpread() > 0 && b.offsetNorm() > 0);
        // the demo keeps scale 1 and no offset
        PlantedGeometry demo = PlantedConcepts.geometry(PlantedOptions.demo());
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, demo.scales()[i], 0.0);
            assertTrue(isZero(demo.offsets()[i]));
        }
    }

    @Test
    void scaleAndOffsetAreAppliedPerModelOnTopOfTheSameRows() {
        PlantedOptions plain = new PlantedOptions(new int[]{12, 8, 16}, new String[]{"a", "b", "c"}, 10, 3, 2, 0.05,
                300, 5L);
        PlantedOptions affine = new PlantedOptions(plain.dims(), plain.names(), 10, 3, 2, 0.05, 300, 5L, 1.0, 2.0);
        PlantedData x = PlantedConcepts.generate(plain);
        PlantedData y = PlantedConcepts.generate(affine);
        double[] scales = y.scales();
        assertNotEquals(scales[0], scales[1]);
        for (int i = 0; i < 3; i++) {
            assertTrue(scales[i] >= Math.exp(-1) && scales[i] <= Math.exp(1), "scale " + scales[i]);
            assertEquals(2.0, norm(y.offsets()[i]), 1e-5);
            assertArrayEquals(x.sharedDirections()[i][3], y.sharedDirections()[i][3]);
            for (int r = 0; r < 300; r += 37) {
                float[] a = x.row(i, r);
                float[] b = y.row(i, r);
                for (int t = 0; t < a.length; t++) {
                    assertEquals(scales[i] * a[t] + y.offsets()[i][t], b[t], 1e-5);
                }
            }
        }
    }

    @Test
    void streamIsDeterministicPerRowIdAndDisjointAcrossRanges() {
        PlantedOptions cfg = PlantedOptions.benchmark();
        PlantedStream s = PlantedStream.of(cfg, 0, 1_000_000);
        PlantedStream again = PlantedStream.of(cfg, 0, 1_000_000);
        PlantedStream other = PlantedStream.of(cfg, 1L << 40, 1000);
        PlantedStream reseeded = PlantedStream.of(cfg.withSeed(7), 0, 1_000_000);
        long[] ids = {999_999, 3, 12345};
        for (int i = 0; i < 3; i++) {
            float[] a = new float[ids.length * cfg.dims()[i]];
            float[] b = new float[a.length];
            s.readRows(i, ids, a);
            again.readRows(i, ids, b);
            assertArrayEquals(a, b);
            // reading one row alone gives the same values as inside a batch
            float[] one = new float[cfg.dims()[i]];
            s.readRows(i, new long[]{3}, one);
            assertArrayEquals(Arrays.copyOfRange(a, cfg.dims()[i], 2 * cfg.dims()[i]), one);
            float[] c = new float[a.length];
            other.readRows(i, new long[]{999, 3, 345}, c);
            assertFalse(Arrays.equals(a, c));
            reseeded.readRows(i, ids, c);
            assertFalse(Arrays.equals(a, c));
        }
        assertTrue(s.provenance().toString().contains("seed=2025"), s.provenance().toString());
    }

    @Test
    void streamRowsAreScaledShiftedSumsOfTheSameConceptsInEveryModel() {
        // No noise, no private concepts, one shared concept per row: (row_i - offset_i) / scale_i = coef * u_c^(i).
        PlantedOptions cfg = new PlantedOptions(new int[]{12, 8, 16}, new String[]{"a", "b", "c"}, 6, 0, 1, 0.0,
                100, 3L, 1.0, 2.0);
        PlantedStream s = PlantedStream.of(cfg, 0, 100);
        PlantedGeometry g = s.geometry();
        for (long r = 0; r < 50; r++) {
            int concept = -1;
            double coef = Double.NaN;
            for (int i = 0; i < 3; i++) {
                int d = cfg.dims()[i];
                float[] x = new float[d];
                s.readRows(i, new long[]{r}, x);
                for (int t = 0; t < d; t++) {
                    x[t] = (float) ((x[t] - g.offsets()[i][t]) / g.scales()[i]);
                }
                double n = norm(x);
                int best = 0;
                double bestCos = -2;
                for (int c = 0; c < cfg.sharedConcepts(); c++) {
                    double cos = dot(x, g.sharedDirections()[i][c]) / n;
                    if (cos > bestCos) {
                        bestCos = cos;
                        best = c;
                    }
                }
                assertEquals(1.0, bestCos, 1e-4, "row " + r + " model " + i);
                assertTrue(n >= 0.5 - 1e-4, "coefficients are |N(0,1)| + 0.5");
                if (i == 0) {
                    concept = best;
                    coef = n;
                } else {
                    assertEquals(concept, best, "same concept in every model");
                    assertEquals(coef, n, 1e-4, "same coefficient in every model");
                }
            }
        }
    }

    private static boolean isZero(float[] v) {
        for (float f : v) {
            if (f != 0) {
                return false;
            }
        }
        return true;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (double) a[t] * b[t];
        }
        return s;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }
}
