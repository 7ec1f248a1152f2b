package org.tribuo.usae.sae;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which models a step encodes (SourceSelection) and which it updates (UpdateRule). */
class StepRulesTest {
    @Test
    void randomOneDrawsOneModelFromTheGeneratorAndAllTakesEveryModel() {
        int[] asked = new int[1];
        int[] one = SourceSelection.RANDOM_ONE.draw(3, n -> {
            asked[0] = n;
            return 2;
        });
        assertArrayEquals(new int[]{2}, one);
        assertEquals(3, asked[0], "draws among all models");
        assertArrayEquals(new int[]{0, 1, 2}, SourceSelection.ALL.draw(3, n -> {
            throw new AssertionError("ALL draws nothing");
        }));
        List<int[]> singles = SourceSelection.RANDOM_ONE.possibleSteps(3);
        assertEquals(3, singles.size());
        assertArrayEquals(new int[]{1}, singles.get(1));
        assertEquals(1, SourceSelection.ALL.possibleSteps(3).size());
    }

    @Test
    void sourceOnlyUpdatesTheSourcesAndAllModelsUpdatesEveryModel() {
        int[] sources = {0, 2};
        assertTrue(UpdateRule.SOURCE_ONLY.updates(2, sources));
        assertFalse(UpdateRule.SOURCE_ONLY.updates(1, sources));
        assertTrue(UpdateRule.ALL_MODELS.updates(1, sources));
    }

    /**
     * OLCUT records an enum option by its value's class; a constant with a body is an anonymous subclass, and a
     * model trained with it could not be read back (seen when these rules first had constant bodies).
     */
    @Test
    void everyEnumOptionOfTheTrainerHasConstantsOfTheEnumsOwnClass() {
        int enums = 0;
        for (java.lang.reflect.Field f : org.tribuo.usae.train.UsaeTrainer.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(com.oracle.labs.mlrg.olcut.config.Config.class) && f.getType().isEnum()) {
                enums++;
                for (Object constant : f.getType().getEnumConstants()) {
                    assertEquals(f.getType(), constant.getClass(), f.getName() + " = " + constant);
                }
            }
        }
        assertTrue(enums >= 8, "found " + enums + " enum options");
    }
}
