package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
}
