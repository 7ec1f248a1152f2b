package org.tribuo.usae.synth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hard suite's generator: deterministic per row, its hierarchy, rates, shared magnitudes and row formula. */
class HardPlantedStreamTest {
    private static final HardPlantedOptions SMALL = new HardPlantedOptions(new int[]{16, 24}, new String[]{"a", "b"},
            8, 3, 40, 12, 0.3, 0.01, 0.5, 0.8, 6, 0.6, 0.2, true, 0.25, 0.5, 1.0, 2.0, 0.05, 7L);

    @Test
    void aRowIsAPureFunctionOfItsIdWhateverTheBatch() {
        HardPlantedGeometry g = new HardPlantedGeometry(SMALL);
        try (HardPlantedStream s = new HardPlantedStream(g, 100, 1000)) {
            float[] batch = new float[3 * 24];
            s.readRows(1, new long[]{5, 999, 5}, batch);
            float[] one = new float[24];
            s.readRows(1, new long[]{999}, one);
            assertArrayEquals(java.util.Arrays.copyOfRange(batch, 24, 48), one);
            assertArrayEquals(java.util.Arrays.copyOfRange(batch, 0, 24), java.util.Arrays.copyOfRange(batch, 48, 72));
            assertNotEquals(batch[0], batch[24]);
            // the same token id in another set is the same row
            try (HardPlantedStream shifted = new HardPlantedStream(g, 0, 2000)) {
                float[] same = new float[24];
                shifted.readRows(1, new long[]{1099}, same);
                assertArrayEquals(one, same);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> s.readRows(0, new long[]{1000}, new float[16]));
        }
        assertArrayEquals(g.sharedDirections()[0][3], new HardPlantedGeometry(SMALL).sharedDirections()[0][3]);
    }

    @Test
    void childrenFireOnlyWithTheirParentOneAtATimeAndEveryModelSeesTheSameMagnitudes() {
        HardPlantedGeometry g = new HardPlantedGeometry(SMALL);
        int children = 0;
        try (HardPlantedStream s = new HardPlantedStream(g, 0, 20_000)) {
            for (long r = 0; r < s.rows(); r++) {
                HardPlantedStream.TokenConcepts a = s.concepts(r, 0);
                HardPlantedStream.TokenConcepts b = s.concepts(r, 1);
                assertArrayEquals(a.shared(), b.shared());
                assertArrayEquals(a.sharedValues(), b.sharedValues());
                java.util.Set<Integer> on = new java.util.HashSet<>();
                for (int c : a.shared()) {
                    on.add(c);
                }
                int[] perParent = new int[SMALL.roots()];
                for (int c : a.shared()) {
                    if (c >= SMALL.firstChild() && c < SMALL.firstFree()) {
                        assertTrue(on.contains(g.parent(c)), "row " + r + ": child " + c + " without its parent");
                        perParent[g.parent(c)]++;
                        children++;
                    }
                }
                for (int n : perParent) {
                    assertTrue(n <= 1, "row " + r + ": children of one parent are mutually exclusive");
                }
            }
        }
        assertTrue(children > 100, "children fired " + children + " times");
    }

    @Test
    void firingRatesMatchTheMarginalsAndPairsCoFire() {
        HardPlantedGeometry g = new HardPlantedGeometry(SMALL);
        int rows = 40_000;
        int shared = SMALL.sharedConcepts();
        long[] counts = new long[shared];
        long[] exclusive = new long[SMALL.exclusivePerModel()];
        long[][] pair = new long[g.pairs.length][2];           // first fired; both fired
        try (HardPlantedStream s = new HardPlantedStream(g, 0, rows)) {
            for (long r = 0; r < rows; r++) {
                HardPlantedStream.TokenConcepts t = s.concepts(r, 1);
                boolean[] on = new boolean[shared];
                for (int c : t.shared()) {
                    counts[c]++;
                    on[c] = true;
                }
                for (int q : t.exclusive()) {
                    exclusive[q]++;
                }
                for (int p = 0; p < pair.length; p++) {
                    if (on[g.pairs[p][0]]) {
                        pair[p][0]++;
                        pair[p][1] += on[g.pairs[p][1]] ? 1 : 0;
                    }
                }
            }
        }
        double[] p = g.marginalSharedRates();
        for (int c = 0; c < shared; c++) {
            double sd = Math.sqrt(rows * p[c] * (1 - p[c]));
            assertEquals(rows * p[c], counts[c], 5 * sd + 1, "concept " + c);
        }
        double[] pe = g.exclusiveRates()[1];
        for (int q = 0; q < pe.length; q++) {
            assertEquals(rows * pe[q], exclusive[q], 5 * Math.sqrt(rows * pe[q] * (1 - pe[q])) + 1, "exclusive " + q);
        }
        long first = 0;
        long both = 0;
        for (long[] c : pair) {
            first += c[0];
            both += c[1];
        }
        // P(b | a) = pairRate + (1 - pairRate) p_b: at least the planted rate
        assertTrue((double) both / first > SMALL.pairRate() - 0.05, "P(b | a) = " + (double) both / first);
    }

    @Test
    void aLinearRowIsScaleTimesTheSumOfItsConceptsPlusTheOffset() {
        HardPlantedOptions linear = new HardPlantedOptions(SMALL.dims(), SMALL.names(), 8, 3, 40, 12, 0.3, 0.01, 0.5,
                0.8, 6, 0.6, 0.2, true, 0, 0.5, 1.0, 2.0, 0, 7L);
        HardPlantedGeometry g = new HardPlantedGeometry(linear);
        try (HardPlantedStream s = new HardPlantedStream(g, 0, 50)) {
            for (int model = 0; model < 2; model++) {
                int d = linear.dims()[model];
                float[] x = new float[50 * d];
                long[] ids = java.util.stream.LongStream.range(0, 50).toArray();
                s.readRows(model, ids, x);
                for (int r = 0; r < 50; r++) {
                    HardPlantedStream.TokenConcepts t = s.concepts(r, model);
                    double[] expected = new double[d];
                    for (int a = 0; a < t.shared().length; a++) {
                        for (int q = 0; q < d; q++) {
                            expected[q] += t.sharedValues()[a] * g.sharedVectors[model][t.shared()[a]][q];
                        }
                    }
                    for (int a = 0; a < t.exclusive().length; a++) {
                        for (int q = 0; q < d; q++) {
                            expected[q] += t.exclusiveValues()[a] * g.exclusiveVectors[model][t.exclusive()[a]][q];
                        }
                    }
                    for (int q = 0; q < d; q++) {
                        assertEquals(g.modelScale[model] * expected[q] + g.offsets[model][q], x[r * d + q], 1e-4,
                                "model " + model + " row " + r + " coordinate " + q);
                    }
                }
            }
        }
    }

    @Test
    void bothCalibrationsHaveTheirStatedConceptsPerTokenAndShape() {
        // hard(): about 3 shared + 1 exclusive per token; the first calibration: about 8 + 3
        assertStatedShape(HardPlantedOptions.hard(), 1024, 2.5, 3.5, 0.8, 1.3);
        assertStatedShape(HardPlantedOptions.firstCalibration(), 2048, 6, 10, 2, 4);
    }

    private static void assertStatedShape(HardPlantedOptions options, int shared, double sharedLow, double sharedHigh,
                                          double exclusiveLow, double exclusiveHigh) {
        HardPlantedGeometry g = new HardPlantedGeometry(options);
        assertEquals(shared, options.sharedConcepts());
        double sharedL0 = java.util.Arrays.stream(g.marginalSharedRates()).sum();
        double[] exclusiveL0 = java.util.Arrays.stream(g.exclusiveRates())
                .mapToDouble(r -> java.util.Arrays.stream(r).sum()).toArray();
        assertTrue(sharedL0 > sharedLow && sharedL0 < sharedHigh, "shared L0 " + sharedL0);
        for (double e : exclusiveL0) {
            assertTrue(e > exclusiveLow && e < exclusiveHigh, "exclusive L0 " + e);
        }
        float[][][] dirs = g.sharedDirections();
        assertEquals(1.0, dot(dirs[1][5], dirs[1][5]), 1e-5);
        assertEquals(1.0, dot(g.exclusiveDirections()[0][7], g.exclusiveDirections()[0][7]), 1e-5);
    }

    @Test
    void aChildScaledByItsParentMovesWithItAndAnUnscaledOneDoesNot() {
        // the same draws with and without the coupling: only the children's magnitudes differ, by their parent's
        HardPlantedOptions scaled = SMALL;
        HardPlantedOptions own = SMALL.withOverrides(java.util.Map.of("scaleChildrenByParent", "false"));
        HardPlantedGeometry gs = new HardPlantedGeometry(scaled);
        HardPlantedGeometry go = new HardPlantedGeometry(own);
        int checked = 0;
        try (HardPlantedStream a = new HardPlantedStream(gs, 0, 2000); HardPlantedStream b = new HardPlantedStream(go, 0, 2000)) {
            for (int r = 0; r < 2000; r++) {
                HardPlantedStream.TokenConcepts ta = a.concepts(r, 0);
                HardPlantedStream.TokenConcepts tb = b.concepts(r, 0);
                org.junit.jupiter.api.Assertions.assertArrayEquals(ta.shared(), tb.shared());
                for (int q = 0; q < ta.shared().length; q++) {
                    int c = ta.shared()[q];
                    if (c >= SMALL.firstChild() && c < SMALL.firstFree()) {
                        int p = gs.parent(c);
                        int pq = java.util.Arrays.binarySearch(ta.shared(), p);
                        double ratio = ta.sharedValues()[pq] / gs.sharedMean[p];
                        assertEquals(tb.sharedValues()[q] * ratio, ta.sharedValues()[q], 1e-5);
                        checked++;
                    } else {
                        assertEquals(tb.sharedValues()[q], ta.sharedValues()[q]);
                    }
                }
            }
        }
        assertTrue(checked > 50, "children seen " + checked);
    }

    @Test
    void settingsChangeByNameAndBadOnesGetOneLineErrors() {
        HardPlantedOptions hard = HardPlantedOptions.hard();
        HardPlantedOptions easier = hard.withOverrides(java.util.Map.of("anisotropy", "0.1", "roots", " 8",
                "dims", "16,24", "names", "a,b", "seed", "7"));
        assertEquals(0.1, easier.anisotropy());
        assertEquals(8, easier.roots());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{16, 24}, easier.dims());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[]{"a", "b"}, easier.names());
        assertEquals(7L, easier.seed());
        assertEquals(hard.freeShared(), easier.freeShared());
        assertEquals(hard.maxRate(), easier.maxRate());
        assertEquals(hard, hard.withOverrides(java.util.Map.of()));
        String unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hard.withOverrides(java.util.Map.of("anisotrophy", "1"))).getMessage();
        assertTrue(unknown.contains("'anisotrophy' is unknown") && unknown.contains("anisotropy"), unknown);
        String notANumber = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hard.withOverrides(java.util.Map.of("maxRate", "high"))).getMessage();
        assertEquals("hard suite setting maxRate: 'high' is not a double", notANumber);
        String outOfRange = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hard.withOverrides(java.util.Map.of("maxRate", "2"))).getMessage();
        assertTrue(outOfRange.contains("maxRate=2") && outOfRange.contains("minRate <= maxRate <= 1"), outOfRange);
        assertTrue(!unknown.contains("\n") && !notANumber.contains("\n") && !outOfRange.contains("\n"));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (double) a[t] * b[t];
        }
        return s;
    }
}
