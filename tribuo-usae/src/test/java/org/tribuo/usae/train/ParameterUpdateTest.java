package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ParameterUpdateTest {
    @Test
    void runningStatsFollowPyTorchMomentumWithTheUnbiasedVariance() {
        Architecture arch = new Architecture(2, 1, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        ModelParameters p = new ModelParameters("a", 3, arch);
        ParameterUpdate.updateRunningStats(p, new float[]{1f, -2f}, new float[]{4f, 0.5f});
        assertArrayEquals(new float[]{0.1f, -0.2f}, p.bnRunningMean(), 1e-7f);
        assertArrayEquals(new float[]{0.9f + 0.4f, 0.9f + 0.05f}, p.bnRunningVar(), 1e-6f);
        assertEquals(0, p.bnBatchesTracked(), "the batch count is the loop's book (ParameterUpdate.finish)");
    }

    @Test
    void clipScalesTheWholeModelGradientToTheMaxNorm() {
        Map<String, float[]> g = new LinkedHashMap<>();
        g.put("a", new float[]{3f, 0f});
        g.put("b", new float[]{4f});
        ParameterUpdate.clip(g, 1.0);
        assertArrayEquals(new float[]{0.6f, 0f}, g.get("a"), 1e-6f);
        assertArrayEquals(new float[]{0.8f}, g.get("b"), 1e-6f);
        Map<String, float[]> small = new LinkedHashMap<>();
        small.put("a", new float[]{0.3f, 0.4f});
        ParameterUpdate.clip(small, 1.0);
        assertArrayEquals(new float[]{0.3f, 0.4f}, small.get("a"), 0f); // under the norm: untouched
    }

    @Test
    void deadCountersResetOnFireAndCountUpOtherwise() {
        long[] c = {0, 7, 7};
        ParameterUpdate.updateCounters(c, new boolean[]{false, true, false});
        assertArrayEquals(new long[]{1, 1, 8}, c);
    }
}
