package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sparse kernels split work so that every output element is summed by one thread in the
 * single-thread order (rows for row-local work, latent or column ranges for scatter-adds), so the
 * tolerance between 1, 2 and 3 threads is zero: a training step and inference must be
 * bit-identical. The GEMM is the plain Java one, whose order does not depend on threads.
 * Rows (37) and latents (64) do not divide by 3, so uneven parts are exercised too.
 */
class SparsePoolThreadsTest {
    private static final int[] DIMS = {12, 8, 16};
    private static final int ROWS = 37;

    static Stream<Arguments> configs() {
        // m = 64, k = 4: TopK codes take the gather path, half-aux (32 slots) the dense one
        return EngineConfigurations.all(64, 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void trainingStepIsBitIdenticalForOneTwoAndThreeThreads(String name, Architecture arch, Objective allModels) {
        UsaeParameters params = TestParams.random(arch, DIMS, 41);
        Batch batch = batch(42);
        int[] sources = allModels.sources() == SourceSelection.ALL ? new int[]{0, 1, 2} : new int[]{1};
        long[][] steps = new long[DIMS.length][arch.numLatents()];
        for (long[] s : steps) {
            for (int j = 0; j < s.length; j += 2) {
                s[j] = 100; // half the latents dead, so AuxK selects
            }
        }
        for (UpdateRule rule : UpdateRule.values()) {
            Objective obj = EngineConfigurations.withRule(allModels, rule);
            String what = name + " " + rule;
            StepOutput one = withParts(1, () -> new CpuEngine(new JavaGemm())
                    .forwardBackward(params, batch, sources, obj, steps));
            for (int parts = 2; parts <= 3; parts++) {
                StepOutput many = withParts(parts, () -> new CpuEngine(new JavaGemm())
                        .forwardBackward(params, batch, sources, obj, steps));
                String w = what + " parts=" + parts;
                assertEquals(one.loss(), many.loss(), 0.0, w + " loss");
                assertEquals(one.auxLoss(), many.auxLoss(), 0.0, w + " aux loss");
                assertEquals(one.meanL0(), many.meanL0(), 0.0, w + " meanL0");
                for (int i = 0; i < DIMS.length; i++) {
                    Map<String, float[]> a = one.gradients().get(i);
                    Map<String, float[]> b = many.gradients().get(i);
                    assertEquals(a.keySet(), b.keySet(), w + " gradient tensors of model " + i);
                    for (String tensor : a.keySet()) {
                        assertArrayEquals(a.get(tensor), b.get(tensor), 0f, w + " model " + i + " " + tensor);
                    }
                    assertArrayEquals(one.bnBatchMean()[i], many.bnBatchMean()[i], 0f, w + " BN mean " + i);
                    assertArrayEquals(one.bnBatchVar()[i], many.bnBatchVar()[i], 0f, w + " BN var " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void inferenceIsBitIdenticalForOneAndTwoThreads(String name, Architecture arch, Objective obj) {
        UsaeParameters params = TestParams.random(arch, DIMS, 43);
        Batch batch = batch(44);
        SparseCodes[] one = withParts(1, () -> new CpuEngine(new JavaGemm()).encodeJoint(params, batch));
        SparseCodes[] two = withParts(2, () -> new CpuEngine(new JavaGemm()).encodeJoint(params, batch));
        for (int i = 0; i < DIMS.length; i++) {
            assertArrayEquals(one[i].indices(), two[i].indices(), name + " indices " + i);
            assertArrayEquals(one[i].values(), two[i].values(), 0f, name + " values " + i);
            for (int t = 0; t < DIMS.length; t++) {
                float[] a = new float[ROWS * DIMS[t]];
                float[] b = new float[ROWS * DIMS[t]];
                SparseCodes c = one[i];
                int target = t;
                withParts(1, () -> { new CpuEngine(new JavaGemm()).decode(params, c, target, a); return null; });
                withParts(2, () -> { new CpuEngine(new JavaGemm()).decode(params, c, target, b); return null; });
                assertArrayEquals(a, b, 0f, name + " decode " + i + "->" + t);
            }
        }
    }

    @Test
    void forRangeCoversEveryIndexOnceInContiguousParts() {
        // 10 over 3 parts: [0,3) [3,6) [6,10) by floor(n*i/p)
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        int[][] bounds = new int[3][];
        withParts(3, () -> {
            SparsePool.forRange(10, (part, lo, hi) -> {
                bounds[part] = new int[]{lo, hi};
                for (int q = lo; q < hi; q++) {
                    hits.incrementAndGet(q);
                }
            });
            return null;
        });
        for (int q = 0; q < 10; q++) {
            assertEquals(1, hits.get(q), "index " + q);
        }
        assertArrayEquals(new int[]{0, 3}, bounds[0]);
        assertArrayEquals(new int[]{3, 6}, bounds[1]);
        assertArrayEquals(new int[]{6, 10}, bounds[2]);
        assertThrows(IllegalArgumentException.class, () -> SparsePool.setParts(0));
    }

    private static <T> T withParts(int parts, Supplier<T> body) {
        int old = SparsePool.setParts(parts);
        try {
            return body.get();
        } finally {
            SparsePool.setParts(old);
        }
    }

    private static Batch batch(long seed) {
        long[] ids = new long[ROWS];
        for (int r = 0; r < ROWS; r++) {
            ids[r] = r;
        }
        return new Batch(ids, TestParams.toFloat(TestParams.data(DIMS, ROWS, seed)), DIMS);
    }
}
