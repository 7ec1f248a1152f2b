package org.tribuo.usae.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.SparseCodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SparsityAccumulatorTest {
    @Test
    void countsFiringAndDeadLatents() {
        SparsityAccumulator s = new SparsityAccumulator("m0", 4);
        // k = 2. Row 0: latent 0 = 0.5, latent 1 = 0.05. Row 1: latent 0 = 0.2, empty slot.
        s.add(new SparseCodes(2, 2, new float[]{0.5f, 0.05f, 0.2f, 0f}, new int[]{0, 1, 0, 3}));
        // Row 2: latent 2 = 0.3, empty slot pointing at latent 0.
        s.add(new SparseCodes(1, 2, new float[]{0.3f, 0f}, new int[]{2, 0}));
        SparsityReport r = s.result();
        assertEquals(3, r.rows());
        assertEquals(4.0 / 3, r.meanL0(), 1e-12);
        assertArrayEquals(new long[]{2, 1, 1, 0}, r.positiveCounts());
        assertArrayEquals(new long[]{2, 0, 1, 0}, r.thresholdCounts());
        assertEquals(0.25, r.deadFractionRaw(), 1e-12);   // latent 3
        assertEquals(0.5, r.deadFractionThreshold(), 1e-12); // latents 1 and 3
    }

    @Test
    void customThresholdAndJson() throws Exception {
        SparsityAccumulator s = new SparsityAccumulator("m1", 2, 0.6);
        s.add(new SparseCodes(1, 1, new float[]{0.5f}, new int[]{1}));
        SparsityReport r = s.result();
        assertEquals(0.5, r.deadFractionRaw(), 1e-12);
        assertEquals(1.0, r.deadFractionThreshold(), 1e-12);
        JsonNode n = new ObjectMapper().readTree(r.toJson());
        assertEquals("m1", n.get("name").asText());
        assertEquals(0.6, n.get("threshold").asDouble(), 1e-12);
        assertEquals(1, n.get("positiveCounts").get(1).asLong());
        assertFalse(new ObjectMapper().readTree(r.toJson(false)).has("positiveCounts"));
    }

    @Test
    void rejectsOutOfRangeLatent() {
        SparsityAccumulator s = new SparsityAccumulator("m", 2);
        assertThrows(IllegalArgumentException.class,
                () -> s.add(new SparseCodes(1, 1, new float[]{1f}, new int[]{2})));
    }
}
