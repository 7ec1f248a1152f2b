package org.tribuo.usae.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 CPU engine against the double-precision reference on every option combination,
 * at a tiny shape (plain Java GEMM) and a medium one (the native GEMM path), for both update rules.
 *
 * <p>Tolerances: losses 1e-4 relative; each gradient tensor and BN statistic
 * {@code max|cpu - ref| <= 1e-4 * max(1, max|ref|)}; code values and decodes 1e-5 * max(1, |ref|).
 * Selections (TopK indices, fired masks, L0) must be identical: random Gaussian data makes a
 * float-vs-double reordering of a near-tie very unlikely, and the seeds are fixed.
 */
class CpuEngineParityTest {
    private static final double GRAD_TOL = 1e-4;
    private static final double VALUE_TOL = 1e-5;

    static Stream<Arguments> tiny() {
        return EngineConfigurations.all(8, 3);
    }

    static Stream<Arguments> medium() {
        return EngineConfigurations.all(256, 8);
    }

    @ParameterizedTest(name = "tiny {0}")
    @MethodSource("tiny")
    void tinyShapesMatchReference(String name, Architecture arch, Objective obj) {
        CountingGemm gemm = new CountingGemm(new JavaGemm());
        compareTraining(name, arch, obj, new int[]{5, 4, 6}, 7, new CpuEngine(gemm), 21);
        compareInference(name, arch, new int[]{5, 4, 6}, 7, new CpuEngine(gemm), 22);
    }

    @ParameterizedTest(name = "medium {0}")
    @MethodSource("medium")
    void mediumShapesMatchReference(String name, Architecture arch, Objective obj) {
        CountingGemm gemm = new CountingGemm(new AutoGemm());
        CpuEngine engine = new CpuEngine(gemm);
        compareTraining(name, arch, obj, new int[]{48, 32, 64}, 512, engine, 31);
        compareInference(name, arch, new int[]{48, 32, 64}, 512, engine, 32);
        assertTrue(gemm.maxFlops >= AutoGemm.NATIVE_MIN_FLOPS, name + ": the native GEMM size was never reached");
    }

    /** Both update rules on one engine instance, so the second step runs on reused scratch arrays. */
    private static void compareTraining(String name, Architecture arch, Objective allModels, int[] dims, int rows,
                                        CpuEngine cpu, long seed) {
        UsaeParameters params = TestParams.random(arch, dims, seed);
        Batch batch = batch(dims, rows, seed + 1);
        int[] sources = allModels.sources() == SourceSelection.ALL ? new int[]{0, 1, 2} : new int[]{1};
        long[][] steps = new long[dims.length][arch.numLatents()];
        for (long[] s : steps) {
            for (int j = 0; j < s.length; j += 2) {
                s[j] = 100; // half the latents dead, so AuxK has work to do
            }
        }
        for (UpdateRule rule : UpdateRule.values()) {
            Objective obj = EngineConfigurations.withRule(allModels, rule);
            String what = name + " " + rule;
            StepOutput ref = new ReferenceEngine().forwardBackward(params, batch, sources, obj, steps);
            StepOutput got = cpu.forwardBackward(params, batch, sources, obj, steps);
            assertClose(ref.loss(), got.loss(), what + " loss");
            assertClose(ref.reconLoss(), got.reconLoss(), what + " recon loss");
            assertClose(ref.auxLoss(), got.auxLoss(), what + " aux loss");
            if (allModels.aux() != AuxLossKind.NONE) {
                assertTrue(ref.auxLoss() > 0, what + ": the aux loss must take part");
            }
            assertEquals(ref.meanL0(), got.meanL0(), 1e-12, what + " meanL0");
            for (int i = 0; i < dims.length; i++) {
                Map<String, float[]> r = ref.gradients().get(i);
                Map<String, float[]> g = got.gradients().get(i);
                assertEquals(r.keySet(), g.keySet(), what + ": gradient tensors of model " + i);
                for (String tensor : r.keySet()) {
                    assertTensor(r.get(tensor), g.get(tensor), GRAD_TOL, what + " model " + i + " " + tensor);
                }
                if (ref.fired()[i] == null) {
                    assertNull(got.fired()[i], what + " fired " + i);
                } else {
                    assertArrayEquals(ref.fired()[i], got.fired()[i], what + " fired " + i);
                }
                assertStats(ref.bnBatchMean()[i], got.bnBatchMean()[i], what + " BN mean " + i);
                assertStats(ref.bnBatchVar()[i], got.bnBatchVar()[i], what + " BN var " + i);
            }
        }
    }

    private static void compareInference(String name, Architecture arch, int[] dims, int rows, CpuEngine cpu,
                                         long seed) {
        UsaeParameters params = TestParams.random(arch, dims, seed);
        Batch batch = batch(dims, rows, seed + 1);
        ReferenceEngine ref = new ReferenceEngine();
        for (int i = 0; i < dims.length; i++) {
            assertCodes(ref.encode(params, i, batch.x()[i], rows), cpu.encode(params, i, batch.x()[i], rows),
                    name + " encode " + i);
        }
        SparseCodes[] r = ref.encodeJoint(params, batch);
        SparseCodes[] g = cpu.encodeJoint(params, batch);
        for (int i = 0; i < dims.length; i++) {
            assertCodes(r[i], g[i], name + " encodeJoint " + i);
            for (int t = 0; t < dims.length; t++) {
                float[] outRef = new float[rows * dims[t]];
                float[] outCpu = new float[rows * dims[t]];
                ref.decode(params, r[i], t, outRef);
                cpu.decode(params, r[i], t, outCpu);
                for (int q = 0; q < outRef.length; q++) {
                    assertEquals(outRef[q], outCpu[q], VALUE_TOL * Math.max(1, Math.abs(outRef[q])),
                            name + " decode " + i + "->" + t + " at " + q);
                }
            }
        }
    }

    private static void assertCodes(SparseCodes ref, SparseCodes got, String what) {
        assertArrayEquals(ref.indices(), got.indices(), what + " indices");
        for (int q = 0; q < ref.values().length; q++) {
            float v = ref.values()[q];
            assertEquals(v, got.values()[q], VALUE_TOL * Math.max(1, Math.abs(v)), what + " value " + q);
        }
    }

    private static void assertClose(double ref, double got, String what) {
        assertEquals(ref, got, 1e-4 * Math.max(Math.abs(ref), 1e-12), what);
    }

    private static void assertStats(float[] ref, float[] got, String what) {
        if (ref == null) {
            assertNull(got, what);
            return;
        }
        assertTensor(ref, got, GRAD_TOL, what);
    }

    private static void assertTensor(float[] ref, float[] got, double tol, String what) {
        assertEquals(ref.length, got.length, what + " length");
        double scale = 1;
        for (float v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int q = 0; q < ref.length; q++) {
            double diff = Math.abs(ref[q] - got[q]);
            if (!(diff <= worst)) {
                worst = diff;
                at = q;
            }
        }
        assertTrue(worst <= tol * scale, what + ": max |diff| " + worst + " at " + at + " (scale " + scale + ")");
    }

    private static Batch batch(int[] dims, int rows, long seed) {
        long[] ids = new long[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = r;
        }
        return new Batch(ids, TestParams.toFloat(TestParams.data(dims, rows, seed)), dims);
    }

    /** Records the largest product requested, to show which GEMM path a test exercised. */
    private static final class CountingGemm implements Gemm {
        private final Gemm delegate;
        long maxFlops;

        CountingGemm(Gemm delegate) {
            this.delegate = delegate;
        }

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                          float beta, float[] c) {
            maxFlops = Math.max(maxFlops, 2L * m * n * k);
            delegate.sgemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        }
    }
}
