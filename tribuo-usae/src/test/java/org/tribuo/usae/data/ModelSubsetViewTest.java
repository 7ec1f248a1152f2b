package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSubsetViewTest {
    // model a: 3 rows of width 2 (values 0..5); model b: 3 rows of width 1 (10, 11, 12)
    private static InMemoryActivationSet set() {
        return new InMemoryActivationSet(List.of("a", "b"), new int[]{2, 1},
                new float[][]{{0, 1, 2, 3, 4, 5}, {10, 11, 12}});
    }

    @Test
    void readsTheChosenModelsInTheChosenOrder() {
        InMemoryActivationSet parent = set();
        ActivationSet view = ActivationSets.select(parent, "b", "a");
        assertEquals(List.of("b", "a"), view.modelNames());
        assertEquals(3, view.rows());
        assertEquals(1, view.dim(0));
        assertEquals(2, view.dim(1));
        Batch b = view.batch(new long[]{2, 0});
        // model "b" rows 2, 0 -> 12, 10; model "a" rows 2, 0 -> (4, 5), (0, 1)
        assertArrayEquals(new float[]{12, 10}, b.x()[0], 0f);
        assertArrayEquals(new float[]{4, 5, 0, 1}, b.x()[1], 0f);
        assertEquals(parent.stats(1), view.stats(0));
        ActivationSetProvenance p = (ActivationSetProvenance) view.provenance();
        assertEquals(List.of("b", "a"), p.models().stream().map(ModelFileProvenance::model).toList());
        view.close();
        // closing the view leaves the parent readable
        assertEquals(3f, parent.batch(new long[]{1}).x()[0][1], 0f); // model a, row 1 = (2, 3)
    }

    @Test
    void unknownOrRepeatedModelsAreRefusedByName() {
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ActivationSets.select(set(), "c"));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
        e = assertThrows(ActivationSetException.class, () -> ActivationSets.select(set(), "a", "a"));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        e = assertThrows(ActivationSetException.class, () -> ActivationSets.select(set()));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
}
