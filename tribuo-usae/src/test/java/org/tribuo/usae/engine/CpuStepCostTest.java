package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a CPU step spends: GEMM FLOPs per update rule, and the phase timers. */
class CpuStepCostTest {
    private static final int[] DIMS = {4, 6, 8};
    private static final int ROWS = 10;
    private static final int M = 64;

    private static Objective halfAux(UpdateRule rule) {
        return new Objective(ReconstructionLoss.L1, AuxLossKind.HALF, 0.1, 0, 1.0, SourceSelection.RANDOM_ONE, rule,
                5, 1e-3);
    }

    private static Batch batch() {
        long[] ids = new long[ROWS];
        for (int r = 0; r < ROWS; r++) {
            ids[r] = r;
        }
        return new Batch(ids, TestParams.toFloat(TestParams.data(DIMS, ROWS, 7)), DIMS);
    }

    /** Sums the FLOPs of every product requested. */
    private static final class FlopCountingGemm implements Gemm {
        private final Gemm delegate = new JavaGemm();
        long flops;

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                          float beta, float[] c) {
            flops += 2L * m * n * k;
            delegate.sgemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        }
    }

    private static long gemmFlops(UpdateRule rule) {
        Architecture arch = new Architecture(M, 2, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        UsaeParameters params = TestParams.random(arch, DIMS, 3);
        FlopCountingGemm gemm = new FlopCountingGemm();
        new CpuEngine(gemm).forwardBackward(params, batch(), new int[]{1}, halfAux(rule), null);
        return gemm.flops;
    }

    @Test
    void dictionariesThatAreNotUpdatedGetNoGradientProduct() {
        // k = 2 of m = 64 gathers (sparse, no GEMM); half-aux codes (32 slots of 64) take the dense path: per
        // target t the aux decoder gradient is codes^T [64 x 10] . gOut [10 x d_t], 2·10·64·d_t FLOPs. Source 1
        // only: the targets of width 4 and 8 skip it under SOURCE_ONLY: 2·10·64·(4 + 8) = 15360 fewer FLOPs.
        long all = gemmFlops(UpdateRule.ALL_MODELS);
        long sourceOnly = gemmFlops(UpdateRule.SOURCE_ONLY);
        assertEquals(15360, all - sourceOnly);
        // what remains: encoder 2·10·(6 + 1)·64 = 8960 (BatchNorm's affine map rides in a ones column), its
        // weight gradient G^T·Xc 2·10·6·64 = 7680 plus BatchNorm's scatter
        // matrix Xc^T·Xc 2·10·6·6 = 720 and W·C 2·64·6·6 = 4608, aux decode and code gradient into every target
        // 2·(2·10·64·18) = 46080, the source's aux dictionary gradient 2·10·64·6 = 7680
        assertEquals(8960 + 7680 + 720 + 4608 + 46080 + 7680, sourceOnly);
    }

    @Test
    void gradientBuffersAreReusedFromStepToStep() {
        // a step allocates no gradient memory: the second step hands back the same arrays, refilled
        Architecture arch = new Architecture(M, 2, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED);
        UsaeParameters params = TestParams.random(arch, DIMS, 3);
        CpuEngine engine = new CpuEngine(new JavaGemm());
        Objective obj = halfAux(UpdateRule.SOURCE_ONLY);
        Map<String, float[]> first = engine.forwardBackward(params, batch(), new int[]{1}, obj, null).gradients().get(1);
        Map<String, float[]> firstCopy = new java.util.LinkedHashMap<>();
        first.forEach((k, v) -> firstCopy.put(k, v.clone()));
        Map<String, float[]> second = engine.forwardBackward(params, batch(), new int[]{1}, obj, null).gradients().get(1);
        assertEquals(firstCopy.keySet(), second.keySet());
        for (String name : second.keySet()) {
            assertTrue(first.get(name) == second.get(name), name + " was allocated again");
            // same parameters and batch: the refilled buffer holds the same gradient, not an accumulation
            org.junit.jupiter.api.Assertions.assertArrayEquals(firstCopy.get(name), second.get(name), name);
        }
    }

    @Test
    void phaseTimersAccumulateOnlyWhenEnabled() {
        Architecture arch = new Architecture(M, 2, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED);
        UsaeParameters params = TestParams.random(arch, DIMS, 3);
        Objective obj = halfAux(UpdateRule.ALL_MODELS);
        CpuEngine engine = new CpuEngine(new JavaGemm());
        try {
            PhaseTimer.setEnabled(false);
            PhaseTimer.reset();
            engine.forwardBackward(params, batch(), new int[]{0}, obj, null);
            for (Map.Entry<PhaseTimer.Phase, Double> e : PhaseTimer.seconds().entrySet()) {
                assertEquals(0.0, e.getValue(), "disabled timers must not move: " + e.getKey());
            }
            PhaseTimer.setEnabled(true);
            engine.forwardBackward(params, batch(), new int[]{0}, obj, null);
            Map<PhaseTimer.Phase, Double> s = PhaseTimer.seconds();
            for (PhaseTimer.Phase p : new PhaseTimer.Phase[]{PhaseTimer.Phase.ENCODE, PhaseTimer.Phase.DECODE,
                    PhaseTimer.Phase.BACKWARD}) {
                assertTrue(s.get(p) > 0, p + " was not timed: " + s);
            }
            assertEquals(0.0, s.get(PhaseTimer.Phase.OPTIMIZER), "the engine step does not run the optimizer");
        } finally {
            PhaseTimer.setEnabled(false);
            PhaseTimer.reset();
        }
    }
}
