package org.tribuo.usae.synth;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConceptRecoveryTest {
    private static final PlantedData DATA = PlantedConcepts.generate(PlantedOptions.demo().withRows(0));

    /** Planted directions at latents perm[c] (same in every model), scaled, plus random extra rows. */
    private static float[][] dictionaries(int[] perm, int m, long seed) {
        Random rng = new Random(seed);
        float[][] dict = new float[DATA.numModels()][];
        for (int i = 0; i < DATA.numModels(); i++) {
            int d = DATA.dims()[i];
            dict[i] = new float[m * d];
            for (int t = 0; t < dict[i].length; t++) {
                dict[i][t] = (float) rng.nextGaussian();
            }
            for (int c = 0; c < perm.length; c++) {
                for (int t = 0; t < d; t++) {
                    dict[i][perm[c] * d + t] = 3f * DATA.sharedDirections()[i][c][t]; // unnormalised on purpose
                }
            }
        }
        return dict;
    }

    private static int[] permutation(int n, int m, long seed) {
        int[] all = new int[m];
        for (int j = 0; j < m; j++) {
            all[j] = j;
        }
        Random rng = new Random(seed);
        for (int j = m - 1; j > 0; j--) {
            int k = rng.nextInt(j + 1);
            int t = all[j];
            all[j] = all[k];
            all[k] = t;
        }
        int[] perm = new int[n];
        System.arraycopy(all, 0, perm, 0, n);
        return perm;
    }

    @Test
    void plantedDictionariesAreFullyRecovered() {
        int[] perm = permutation(32, 64, 1);
        RecoveryResult r = ConceptRecovery.recover(dictionaries(perm, 64, 2), DATA.dims(), DATA.sharedDirections());
        assertEquals(1.0, r.recoveredFraction(), 0.0);
        assertArrayEquals(perm, r.bestLatent());
        for (double c : r.minCosine()) {
            assertEquals(1.0, c, 1e-5);
        }
    }

    @Test
    void perturbingOneModelBreaksRecovery() {
        int[] perm = permutation(32, 64, 1);
        float[][] dict = dictionaries(perm, 64, 2);
        Random rng = new Random(5);
        int d1 = DATA.dims()[1];
        // Model 1: add N(0,1) per element to each planted row (norm 3); the noise has norm ~ sqrt(32),
        // so the cosine drops to ~ 3 / sqrt(9 + 32) ~ 0.47, far below 0.9.
        for (int c = 0; c < 32; c++) {
            for (int t = 0; t < d1; t++) {
                dict[1][perm[c] * d1 + t] += (float) rng.nextGaussian();
            }
        }
        RecoveryResult r = ConceptRecovery.recover(dict, DATA.dims(), DATA.sharedDirections());
        assertTrue(r.recoveredFraction() < 0.1, "recovered " + r.recoveredFraction());
        PerModelRecovery p = ConceptRecovery.perModel(dict, DATA.dims(), DATA.sharedDirections());
        assertEquals(1.0, p.recoveredFraction()[0], 0.0);
        assertTrue(p.recoveredFraction()[1] < 0.1);
        assertEquals(1.0, p.recoveredFraction()[2], 0.0);
    }

    @Test
    void sameLatentIsRequired() {
        // Two models, d = 4, concepts are basis vectors; m = 6. Concept 0 sits at latent 3 in model 0 but
        // at latent 5 in model 1; concept 1 sits at latent 1 in both.
        int[] dims = {4, 4};
        float[][][] dirs = {{e(4, 0), e(4, 1)}, {e(4, 2), e(4, 3)}};
        float[][] dict = new float[2][6 * 4];
        put(dict[0], 3, e(4, 0));
        put(dict[1], 5, e(4, 2));
        put(dict[0], 1, e(4, 1));
        put(dict[1], 1, e(4, 3));
        RecoveryResult r = ConceptRecovery.recover(dict, dims, dirs);
        assertFalse(r.recovered(0));
        assertEquals(0.0, r.minCosine()[0], 1e-12);
        assertTrue(r.recovered(1));
        assertEquals(1, r.bestLatent()[1]);
        assertEquals(0.5, r.recoveredFraction(), 0.0);

        PerModelRecovery p = ConceptRecovery.perModel(dict, dims, dirs);
        assertArrayEquals(new int[]{3, 1}, p.bestLatent()[0]);
        assertArrayEquals(new int[]{5, 1}, p.bestLatent()[1]);
        assertArrayEquals(new double[]{1.0, 1.0}, p.recoveredFraction());
    }

    @Test
    void flippedSignIsNotRecovered() {
        float[][] dict = {new float[]{-1, 0}};
        RecoveryResult r = ConceptRecovery.recover(dict, new int[]{2}, new float[][][]{{e(2, 0)}});
        assertEquals(-1.0, r.minCosine()[0], 1e-12);
        assertEquals(0.0, r.recoveredFraction(), 0.0);
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> ConceptRecovery.recover(
                new float[][]{new float[12], new float[10]}, new int[]{4, 5}, new float[][][]{{e(4, 0)}, {e(5, 0)}}));
    }

    private static float[] e(int d, int k) {
        float[] v = new float[d];
        v[k] = 1f;
        return v;
    }

    private static void put(float[] dict, int latent, float[] dir) {
        System.arraycopy(dir, 0, dict, latent * dir.length, dir.length);
    }
}
