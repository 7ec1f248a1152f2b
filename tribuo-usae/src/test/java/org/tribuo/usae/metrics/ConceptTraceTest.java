package org.tribuo.usae.metrics;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.SparseCodes;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact traces and labels on four hand-made tokens of two 2-wide models. Concept 0 is shared (both models fire it on
 * tokens 0 and 2, and both move along it there), concept 1 is model a's alone (b's activations along its b direction do
 * not depend on it), concept 2 fires in a where b is BELOW its mean along the concept's b direction (a trace of -1).
 */
class ConceptTraceTest {
    private static final List<String> NAMES = List.of("a", "b");
    private static final float[][] DECODERS = {
            {1, 0, 0, 1, 0, 1},        // a: e1, e2, e2
            {1, 0, 0, 1, 1, 0}};       // b: e1, e2, e1
    private static final float[][] ACTIVATIONS = {
            {3, 0, 0, 2, 3, 0, 0, 2},  // a along e1: 3 0 3 0 (mean 1.5, sd 1.5); along e2: 0 2 0 2 (mean 1, sd 1)
            {2, 1, 0, -1, 2, -1, 0, 1}};  // b along e1: 2 0 2 0 (mean 1, sd 1); along e2: 1 -1 -1 1 (mean 0, sd 1)
    private static final SparseCodes[] CODES = {
            new SparseCodes(4, 2, new float[]{1, 0, 1, 1, 1, 0, 1, 1}, new int[]{0, 0, 1, 2, 0, 0, 1, 2}),
            new SparseCodes(4, 2, new float[]{1, 0, 0, 0, 1, 0, 0, 0}, new int[]{0, 0, 0, 0, 0, 0, 0, 0})};

    private static ConceptTrace trace() {
        ConceptTraceAccumulator acc = new ConceptTraceAccumulator(NAMES, DECODERS, new int[]{2, 2}, 3, 0.1, 100);
        acc.add(ACTIVATIONS, CODES);
        return acc.result();
    }

    @Test
    void tracesAreStandardisedShiftsAlongTheTargetsDirections() {
        ConceptTrace t = trace();
        assertArrayEquals(new long[]{2, 2, 2}, t.fires()[0]);
        assertArrayEquals(new long[]{2, 0, 0}, t.fires()[1]);
        assertEquals(1.0, t.trace(0, 1, 0), 1e-12);      // (2 - 1) / 1
        assertEquals(1.0, t.trace(1, 0, 0), 1e-12);      // (3 - 1.5) / 1.5
        assertEquals(0.0, t.trace(0, 1, 1), 1e-12);      // (0 - 0) / 1
        assertEquals(-1.0, t.trace(0, 1, 2), 1e-12);     // (0 - 1) / 1
        assertEquals(1.0, t.trace(0, 0, 1), 1e-12);      // a's own: (2 - 1) / 1
        assertTrue(Double.isNaN(t.trace(1, 0, 1)), "b never fires concept 1");
        assertEquals(1.0, t.traceFromOthers(0, 0), 1e-12);
        assertEquals(2, t.firesOfOthers(1, 2));
    }

    @Test
    void sharedIsUniversalExclusiveIsUniqueAndANegativeTraceIsNeither() {
        TraceSelection s = TraceSelection.select(trace(), new int[]{0, 1, 2}, new TraceCriteria(0.75, 2));
        assertArrayEquals(new int[]{0}, s.universal());
        assertArrayEquals(new int[]{1}, s.uniqueByModel().get(0));
        assertArrayEquals(new int[]{}, s.uniqueByModel().get(1));
        // a higher bar than every trace here: nothing is carried across, so nothing is universal, and concept 2 (and
        // concept 0, whose traces are 1) now counts as unmoved
        TraceSelection strict = TraceSelection.select(trace(), new int[]{0, 1, 2}, new TraceCriteria(1.5, 2));
        assertArrayEquals(new int[]{}, strict.universal());
        assertArrayEquals(new int[]{0, 1, 2}, strict.uniqueByModel().get(0));
        assertArrayEquals(new int[]{0}, strict.uniqueByModel().get(1));
    }

    @Test
    void covarianceComesFromTheFirstRowsOnly() {
        ConceptTraceAccumulator acc = new ConceptTraceAccumulator(NAMES, DECODERS, new int[]{2, 2}, 3, 0.1, 4);
        acc.add(ACTIVATIONS, CODES);
        // four more tokens far away: they add fires and sums but not to the mean and spread
        float[][] far = {ACTIVATIONS[0].clone(), ACTIVATIONS[1].clone()};
        for (float[] x : far) {
            for (int q = 0; q < x.length; q++) {
                x[q] += 100;
            }
        }
        acc.add(far, CODES);
        ConceptTrace t = acc.result();
        assertEquals(4, t.fires()[0][0]);
        assertEquals(1.0, t.spread()[1][0], 1e-12);
        assertEquals(1.0, t.baseline()[1][0], 1e-12);
        // b along e1 on a's firing tokens: 2, 2, 102, 102 (mean 52), against the first batch's mean 1 and spread 1
        assertEquals(51.0, t.trace(0, 1, 0), 1e-9);
    }

    @Test
    void badInputIsRefusedWithTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConceptTraceAccumulator(NAMES, DECODERS, new int[]{2, 3}, 3, 0.1, 100));
        assertTrue(e.getMessage().contains("decoder of model 'b'"), e.getMessage());
        ConceptTraceAccumulator acc = new ConceptTraceAccumulator(NAMES, DECODERS, new int[]{2, 2}, 3, 0.1, 100);
        e = assertThrows(IllegalArgumentException.class, () -> acc.add(new float[][]{ACTIVATIONS[0], new float[6]}, CODES));
        assertTrue(e.getMessage().contains("Model 'b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TraceCriteria(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new TraceCriteria(1, 0));
    }
}
