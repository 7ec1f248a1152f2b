package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardizerTest {
    @Test
    void allRowsMatchHandComputation() {
        // Values 1..6 over 3 rows x 2 channels: mean 3.5, unbiased variance 17.5 / 5 = 3.5.
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("m"), new int[]{2},
                new float[][]{{1, 2, 3, 4, 5, 6}});
        Standardizer.Estimate e = Standardizer.estimate(set, 0, 100, 7L);
        assertEquals(3.5, e.mu(), 1e-12);
        assertEquals(Math.sqrt(3.5), e.sigma(), 1e-12);
        float[] x = {1, 3.5f, 6};
        Standardizer.apply(x, e.mu(), e.sigma());
        double s = Math.sqrt(3.5) + 1e-5;
        assertArrayEquals(new float[]{(float) (-2.5 / s), 0f, (float) (2.5 / s)}, x, 1e-6f);
    }

    @Test
    void estimateOverTheFirstRowsIgnoresTheRestAndGivesColumnMeans() {
        // rows 0-1: (1, 10), (3, 20); row 2 (held out) is huge and must not count.
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("m"), new int[]{2},
                new float[][]{{1, 10, 3, 20, 1e6f, 1e6f}});
        Standardizer.Estimate e = Standardizer.estimate(set, 0, 2, 100, 7L);
        // values 1, 10, 3, 20: mean 8.5, unbiased variance (56.25 + 2.25 + 30.25 + 132.25) / 3 = 73.666...
        assertEquals(8.5, e.mu(), 1e-12);
        assertEquals(Math.sqrt(221.0 / 3), e.sigma(), 1e-12);
        assertArrayEquals(new double[]{2, 15}, e.columnMeans(), 1e-12);
        double s = Math.sqrt(221.0 / 3) + 1e-5;
        assertArrayEquals(new float[]{(float) (-6.5 / s), (float) (6.5 / s)}, e.standardisedColumnMeans(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Standardizer.estimate(set, 0, 4, 100, 7L));
    }

    @Test
    void samplingIsWithoutReplacementAndDeterministic() {
        long[] a = Standardizer.sample(1000, 50, 3L);
        assertEquals(50, a.length);
        assertEquals(50, Arrays.stream(a).distinct().count());
        assertArrayEquals(a, Standardizer.sample(1000, 50, 3L));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Standardizer.sample(1000, 50, 4L)));
        assertEquals(10, Standardizer.sample(10, 50, 3L).length);
    }

    @Test
    void sampledEstimateUsesOnlySampledRows() {
        // Row r holds (r, r): the estimate must equal the statistics of the sampled rows exactly.
        int rows = 500;
        float[] d = new float[2 * rows];
        for (int r = 0; r < rows; r++) {
            d[2 * r] = r;
            d[2 * r + 1] = r;
        }
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("m"), new int[]{2}, new float[][]{d});
        long[] ids = Standardizer.sample(rows, 40, 11L);
        double mean = Arrays.stream(ids).average().orElseThrow();
        double ss = 0;
        for (long id : ids) {
            ss += 2 * (id - mean) * (id - mean);
        }
        Standardizer.Estimate e = Standardizer.estimate(set, 0, 40, 11L);
        assertEquals(mean, e.mu(), 1e-9);
        assertEquals(Math.sqrt(ss / (2 * 40 - 1)), e.sigma(), 1e-9);
    }

    /** Standardises model "m" of a plain folder holding only {@code m.npy = values [rows x 2]}. */
    private static String refusal(Path dir, float[] values) {
        Path file = dir.resolve("m.npy");
        Npy.writeFloat32(file, values, values.length / 2, 2);
        try (NpyActivationSet set = NpyActivationSet.open(dir)) {
            return assertThrows(ActivationSetException.class, () -> Standardizer.estimate(set, 0, 100, 7L)).getMessage();
        }
    }

    @Test
    void constantModelIsRefusedNamingItsFile(@TempDir Path dir) {
        float[] x = new float[8];
        Arrays.fill(x, 2.5f);
        assertEquals(dir.resolve("m.npy") + ": activations are constant (sigma 0 over 4 sampled rows, every value 2.5); "
                + "a model whose activations do not vary cannot be trained on", refusal(dir, x));
    }

    @Test
    void subnormalOnlyModelIsRefusedNamingItsFileAndSigma(@TempDir Path dir) {
        float[] x = {1e-40f, 2e-40f, 3e-40f, 1e-40f, 2e-40f, 3e-40f};
        String msg = refusal(dir, x);
        assertTrue(msg.startsWith(dir.resolve("m.npy") + ": sigma 8."), msg);
        assertTrue(msg.endsWith("E-41 over 3 sampled rows is below 1.0E-12 (near-zero or subnormal activations); "
                + "expected activations that vary by at least 1.0E-12: rescale them"), msg);
    }

    @Test
    void smallButUsableSigmaIsAccepted(@TempDir Path dir) {
        float[] x = {1e-9f, 2e-9f, 3e-9f, 4e-9f};
        Npy.writeFloat32(dir.resolve("m.npy"), x, 2, 2);
        try (NpyActivationSet set = NpyActivationSet.open(dir)) {
            assertEquals(Math.sqrt(5.0 / 3) * 1e-9, Standardizer.estimate(set, 0, 100, 7L).sigma(), 1e-15);
        }
    }

    @Test
    void nanInTheSampleNamesRowAndColumn(@TempDir Path dir) {
        float[] x = {1, 2, 3, Float.NaN, 5, 6};
        assertEquals(dir.resolve("m.npy") + ": non-finite value NaN at row 1, column 1; expected finite activations",
                refusal(dir, x));
    }
}
