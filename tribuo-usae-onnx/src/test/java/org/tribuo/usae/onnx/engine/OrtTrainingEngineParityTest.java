package org.tribuo.usae.onnx.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.train.TrainingSettings;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused ORT training graph (CPU execution provider) against the CPU engine through the real
 * per-step engine (TrainingLoop with PerStepEngine: a chunk of one), same seed, same batches, six steps of the faithful
 * step (BatchNorm encoder, TopK, half-aux, per-model clip, AdamW, per-source cosine schedule) and of
 * the SPARC step (affine encoders, global TopK, NMSE self + cross terms, AuxK, projected unit-norm
 * dictionary, Adam, every model every step), and of that step with ALIGNED's per-model TopK.
 *
 * <p>Tolerances. Both engines compute in float32 with different summation orders, so tensors agree
 * to rounding: every tensor must be within {@value #RELATIVE} of its largest CPU magnitude, and the
 * losses within {@value #RELATIVE} relative (observed: about 2e-7 and 1e-7). In the faithful step two
 * tensors are exempt by design and checked loosely: the encoder bias has an exactly zero true gradient (BatchNorm
 * subtracts the batch mean of h, bias included), so both engines hand AdamW pure rounding noise,
 * which AdamW normalises into steps of up to about lr; its moments are that noise; and the
 * BatchNorm running mean tracks mean(h), which contains the bias, with momentum 0.1. So the bias
 * may differ by lr per update of its model, the running mean by 0.1 lr per update.
 * Counters (AdamW steps, BatchNorm batches, model updates, dead-latent counters) must be equal.
 */
class OrtTrainingEngineParityTest {
    private static final int STEPS = 6;
    private static final double RELATIVE = 2e-5;

    @ParameterizedTest(name = "{0} recipe, {1} loss, {2} steps per ORT call")
    @CsvSource({"FAITHFUL, L1, 1", "FAITHFUL, L1, 4", "FAITHFUL, L1, 6", "FAITHFUL, L2, 1", "FAITHFUL, L2, 4",
            "SPARC, NMSE, 1", "SPARC, NMSE, 4", "ALIGNED, NMSE, 1", "ALIGNED, NMSE, 4", "FAST, L1, 1", "FAST, L1, 4",
            "AFFINE_FAST, NMSE, 1", "AFFINE_FAST, NMSE, 4", "BATCH_TOPK, NMSE, 1", "BATCH_TOPK, NMSE, 4",
            "MATRYOSHKA, NMSE, 1", "MATRYOSHKA, NMSE, 4", "affine-l2, L2, 1", "affine-half, NMSE, 1",
            "batchnorm-nmse, NMSE, 1", "batchnorm-nmse, NMSE, 4", "batchnorm-matryoshka, L1, 1",
            "batchnorm-matryoshka, L1, 4", "batchnorm-global, NMSE, 1", "batchnorm-global, NMSE, 4",
            "affine-rownorm, L1, 1", "affine-rownorm, L1, 4"})
    void ortMatchesCpuEngineStepByStep(String recipe, ReconstructionLoss loss, int chunk) {
        boolean batchNorm = recipe.equals("FAITHFUL") || recipe.equals("FAST") || recipe.startsWith("batchnorm");
        TrainingSettings settings = switch (recipe) {
            case "FAITHFUL" -> TrainingRun.settings(loss, STEPS);
            case "FAST" -> TrainingRun.fastSettings(STEPS);
            case "SPARC" -> TrainingRun.sparcSettings(STEPS);
            case "ALIGNED" -> TrainingRun.alignedSettings(STEPS);
            case "AFFINE_FAST" -> TrainingRun.affineFastSettings(STEPS);
            case "BATCH_TOPK" -> TrainingRun.batchTopKSettings(STEPS);
            case "MATRYOSHKA" -> TrainingRun.matryoshkaSettings(STEPS);
            case "affine-l2", "affine-half", "batchnorm-nmse", "batchnorm-matryoshka", "batchnorm-global",
                 "affine-rownorm" -> TrainingRun.composedSettings(recipe, STEPS);
            default -> throw new IllegalArgumentException(recipe);
        };
        List<Batch> batches = TrainingRun.batches(STEPS, 3);
        List<TrainingRun.Step> cpu = TrainingRun.train(settings, batches, EngineKind.CPU, 0);
        List<TrainingRun.Step> ort = TrainingRun.train(settings, batches, EngineKind.ORT_CPU, chunk);
        assertEquals(STEPS + 1, cpu.size());
        assertEquals(STEPS + 1, ort.size());
        for (int q = 0; q < STEPS; q++) {
            var c = cpu.get(q).stats();
            var o = ort.get(q).stats();
            assertEquals(c.step(), o.step());
            assertArrayEquals(c.sources(), o.sources(), "step " + q + ": same source stream");
            assertEquals(c.learningRate(), o.learningRate(), 0, "step " + q + " learning rate");
            assertEquals(c.loss(), o.loss(), RELATIVE * Math.abs(c.loss()), "step " + q + " loss");
            assertEquals(c.reconLoss(), o.reconLoss(), RELATIVE * Math.abs(c.reconLoss()), "step " + q + " recon");
            assertEquals(c.auxLoss(), o.auxLoss(), RELATIVE * Math.abs(c.auxLoss()), "step " + q + " aux");
            // an exact count over rows, divided in float32 by the graph
            assertEquals(c.meanL0(), o.meanL0(), 1e-6 * c.meanL0(), "step " + q + " mean L0");
            // with one step per call the listener sees the state after every step; else after each chunk
            if (chunk == 1) {
                assertTensorsMatch(cpu.get(q).tensors(), ort.get(q).tensors(), updatesBy(cpu.get(q).tensors()), batchNorm,
                        "step " + q);
            }
        }
        Map<String, float[]> finalCpu = cpu.get(STEPS).tensors();
        assertTensorsMatch(finalCpu, ort.get(STEPS).tensors(), updatesBy(finalCpu), batchNorm, "final");
        assertTrainingMoved(settings, finalCpu);
        if (settings.objective().aux() == org.tribuo.usae.sae.AuxLossKind.DEAD_AUXK) {
            assertAuxKHadDeadLatents(cpu);
            assertTrue(cpu.stream().limit(STEPS).anyMatch(st -> st.stats().auxLoss() > 0), "AuxK never had a term");
        }
        if (recipe.equals("BATCH_TOPK")) {
            assertRowsVaried(settings, batches);
        }
    }

    /**
     * BatchTopK's case is not per-row TopK in disguise: on the first batch some row of some model keeps more than k
     * latents and some fewer, while the batch's mean stays k.
     */
    private static void assertRowsVaried(TrainingSettings settings, List<Batch> batches) {
        var params = TrainingRun.freshState(settings).params();
        var arch = settings.architecture();
        int rows = TrainingRun.ROWS;
        int m = TrainingRun.M;
        double[][] pres = new double[TrainingRun.DIMS.length][rows * m];
        for (int i = 0; i < pres.length; i++) {
            var p = params.model(i);
            int d = p.dim();
            float[] x = batches.get(0).x()[i];
            float[] w = p.get(org.tribuo.usae.sae.ModelParameters.ENC_WEIGHT);
            float[] c = p.get(org.tribuo.usae.sae.ModelParameters.ENC_BIAS);
            float[] b = p.get(org.tribuo.usae.sae.ModelParameters.INPUT_BIAS);
            for (int n = 0; n < rows; n++) {
                for (int j = 0; j < m; j++) {
                    double v = c[j];
                    for (int q = 0; q < d; q++) {
                        v += (x[n * d + q] - b[q]) * (double) w[j * d + q];
                    }
                    pres[i][n * m + j] = v;
                }
            }
        }
        var block = arch.sparsityBlock();
        int[][] idx = block.referenceIndices(pres, rows, m, arch.slots());
        double[][] val = block.referenceValues(pres, rows, m, arch.slots(), idx);
        boolean more = false;
        boolean fewer = false;
        for (double[] v : val) {
            for (int n = 0; n < rows; n++) {
                int l0 = 0;
                for (int q = 0; q < arch.slots(); q++) {
                    l0 += v[n * arch.slots() + q] > 0 ? 1 : 0;
                }
                more |= l0 > TrainingRun.K;
                fewer |= l0 < TrainingRun.K;
            }
        }
        assertTrue(more && fewer, "rows kept k latents each: BatchTopK was not exercised");
    }

    /** Per model name, its update count in the snapshot. */
    private static Map<String, Float> updatesBy(Map<String, float[]> t) {
        return Map.of("a", t.get("a/updates")[0], "b", t.get("b/updates")[0], "c", t.get("c/updates")[0]);
    }

    private static void assertTensorsMatch(Map<String, float[]> cpu, Map<String, float[]> ort, Map<String, Float> updates,
                                           boolean batchNorm, String when) {
        assertEquals(cpu.keySet(), ort.keySet());
        for (Map.Entry<String, float[]> e : cpu.entrySet()) {
            String key = e.getKey();
            float[] a = e.getValue();
            float[] b = ort.get(key);
            String model = key.substring(0, key.indexOf('/'));
            double tol;
            if (batchNorm && key.contains("encoder.bias")) {
                tol = key.endsWith("encoder.bias") ? TrainingRun.LR * updates.get(model) : Double.MAX_VALUE;
            } else if (batchNorm && key.endsWith("bn.running_mean")) {
                tol = 0.1 * TrainingRun.LR * updates.get(model) + 1e-6;
            } else if (key.endsWith("adam_steps") || key.endsWith("bn_batches") || key.endsWith("updates")
                    || key.endsWith("steps_since_fired")) {
                tol = 0;
            } else {
                tol = RELATIVE * maxAbs(a);
            }
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= tol, when + ": " + key + "[" + i + "] cpu " + a[i] + " ort " + b[i]
                        + " differ by more than " + tol);
            }
        }
    }

    /** The run is not trivially equal: every updated model's encoder weights moved far beyond the tolerance. */
    private static void assertTrainingMoved(TrainingSettings settings, Map<String, float[]> finalCpu) {
        Map<String, float[]> initial = TrainingRun.snapshot(TrainingRun.freshState(settings));
        int moved = 0;
        for (String model : TrainingRun.NAMES) {
            if (finalCpu.get(model + "/updates")[0] == 0) {
                continue;
            }
            float[] before = initial.get(model + "/encoder.weight");
            float[] after = finalCpu.get(model + "/encoder.weight");
            double change = 0;
            for (int i = 0; i < before.length; i++) {
                change = Math.max(change, Math.abs(after[i] - before[i]));
            }
            assertTrue(change > 100 * RELATIVE * maxAbs(after), model + " encoder moved only " + change);
            moved++;
        }
        assertTrue(moved >= 2, "at least two models were sources in " + STEPS + " steps");
    }

    /** Some latent was silent for more than deadSteps = 1 steps, so AuxK had candidates (counter >= 2 means dead). */
    private static void assertAuxKHadDeadLatents(List<TrainingRun.Step> cpu) {
        double most = 0;
        for (TrainingRun.Step step : cpu) {
            for (String model : TrainingRun.NAMES) {
                most = Math.max(most, maxAbs(step.tensors().get(model + "/steps_since_fired")));
            }
        }
        assertTrue(most >= 2, "no latent was ever dead, AuxK was idle (most steps since firing: " + most + ")");
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
