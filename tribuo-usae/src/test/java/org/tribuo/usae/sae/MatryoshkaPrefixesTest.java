package org.tribuo.usae.sae;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Matryoshka block's prefixes and groups on hand-made sizes; the engines' use of them is in the engine tests. */
class MatryoshkaPrefixesTest {
    @Test
    void prefixesDoubleUpToTheWholeDictionaryAndOneLevelIsThePlainLoss() {
        assertArrayEquals(new int[]{128, 256, 512, 1024}, new MatryoshkaPrefixes(4).ends(1024));
        assertArrayEquals(new int[]{2, 5, 10}, new MatryoshkaPrefixes(3).ends(10));
        assertArrayEquals(new int[]{7}, MatryoshkaPrefixes.NONE.ends(7));
        assertArrayEquals(new int[]{1, 2}, new MatryoshkaPrefixes(2).ends(2));
    }

    @Test
    void aLatentsGroupIsTheSmallestPrefixThatHoldsIt() {
        int[] ends = {2, 5, 10};
        int[] expected = {0, 0, 1, 1, 1, 2, 2, 2, 2, 2};
        for (int latent = 0; latent < 10; latent++) {
            assertEquals(expected[latent], MatryoshkaPrefixes.group(ends, latent), "latent " + latent);
        }
    }

    @Test
    void tooFewLatentsOrLevelsOutOfRangeFailInOneLine() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> new MatryoshkaPrefixes(4).ends(7));
        assertTrue(small.getMessage().contains("numLatents >= 2^3 = 8"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MatryoshkaPrefixes(0));
        assertThrows(IllegalArgumentException.class, () -> new Objective(ReconstructionLoss.NMSE, AuxLossKind.NONE, 0, 0,
                1, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1, 0, 32));
    }

    @Test
    void theObjectivesTextNamesTheLevelsOnlyWhenThereAreSeveral() {
        Objective plain = new Objective(ReconstructionLoss.NMSE, AuxLossKind.NONE, 0, 0, 1, SourceSelection.ALL,
                UpdateRule.ALL_MODELS, 1, 0);
        assertEquals(1, plain.matryoshkaLevels());
        assertTrue(!plain.toString().contains("matryoshka"), plain.toString());
        Objective nested = new Objective(ReconstructionLoss.NMSE, AuxLossKind.NONE, 0, 0, 1, SourceSelection.ALL,
                UpdateRule.ALL_MODELS, 1, 0, 3);
        assertTrue(nested.toString().endsWith(", matryoshkaLevels=3]"), nested.toString());
    }
}
