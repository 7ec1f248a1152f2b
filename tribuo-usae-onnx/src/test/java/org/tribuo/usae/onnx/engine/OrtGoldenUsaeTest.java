package org.tribuo.usae.onnx.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.FusedEngineOptions;
import org.tribuo.usae.train.PlannedStep;
import org.tribuo.usae.train.StepResult;
import org.tribuo.usae.train.Rng64;
import org.tribuo.usae.train.TrainingSettings;
import org.tribuo.usae.train.TrainingState;
import org.tribuo.usae.train.UsaeTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ORT training graph against the official USAE code itself: the golden fixture of core's
 * {@code GoldenUsaeTest} (four steps of the official loop body recorded with torch; see
 * {@code tribuo-usae/src/test/resources/golden/UPSTREAM.txt}), replayed with the fixture's sources and
 * learning rates. Same tolerances as that test: {@code |ours - torch| <= 1e-6 + 2e-6 max|torch|} per
 * tensor, AdamW moments 1e-5 relative; the encoder bias (exactly zero true gradient, so AdamW steps on
 * rounding noise) within the Adam bound, then torch's value is adopted, as there.
 */
class OrtGoldenUsaeTest {
    private static final double RTOL = 2e-6;
    private static final double ATOL = 1e-6;
    private static final double MOMENT_RTOL = 1e-5;
    private static final GoldenFiles FX = new GoldenFiles("usae");

    @Test
    void ortStepsMatchOfficialCodeStepByStep() {
        long[] meta = FX.i64("meta");
        int steps = (int) meta[0];
        int rows = (int) meta[1];
        List<String> names = List.of("m0", "m1", "m2");
        float[][] x = new float[3][];
        int[] dims = new int[3];
        for (int i = 0; i < 3; i++) {
            x[i] = FX.f32("input/" + names.get(i));
            dims[i] = x[i].length / rows;
        }
        TrainingSettings settings = settings(dims, meta);
        TrainingState state = initialState(settings, names, dims);
        String[] lastDir = {"step0/m0", "step0/m1", "step0/m2"};
        try (OrtTrainingEngine engine = new OrtTrainingEngine(EngineKind.ORT_CPU, settings, dims,
                new FusedEngineOptions(1, false))) {
            for (int t = 1; t <= steps; t++) {
                String step = "step" + t;
                int src = (int) FX.i64(step + "/source")[0];
                StepResult out = runOneStep(engine, state, settings, x, dims, rows, src, FX.scalar(step + "/lr"));
                double expectedLoss = FX.scalar(step + "/loss");
                assertEquals(expectedLoss, out.loss(), 2e-6 * Math.abs(expectedLoss), "loss " + step);
                lastDir[src] = step + "/" + names.get(src);
                adoptEncoderBias(state, src, lastDir[src]);
                for (int i = 0; i < 3; i++) {
                    FX.compareModel(state, i, lastDir[i], RTOL, ATOL, MOMENT_RTOL);
                }
            }
        }
    }

    /** All four steps in one Loop call: the losses (BatchNorm makes them independent of the encoder bias) still match. */
    @Test
    void oneChunkOfAllStepsMatchesOfficialLosses() {
        long[] meta = FX.i64("meta");
        int steps = (int) meta[0];
        int rows = (int) meta[1];
        List<String> names = List.of("m0", "m1", "m2");
        float[][] x = new float[3][];
        int[] dims = new int[3];
        for (int i = 0; i < 3; i++) {
            x[i] = FX.f32("input/" + names.get(i));
            dims[i] = x[i].length / rows;
        }
        TrainingSettings settings = settings(dims, meta);
        TrainingState state = initialState(settings, names, dims);
        List<Batch> batches = new ArrayList<>();
        List<PlannedStep> plan = new ArrayList<>();
        long[] adamSteps = new long[3];
        for (int t = 1; t <= steps; t++) {
            int src = (int) FX.i64("step" + t + "/source")[0];
            double lr = FX.scalar("step" + t + "/lr");
            batches.add(batch(x, dims, rows));
            plan.add(PlannedStep.ofSources(dims.length, new int[]{src}, lr, AdamW.scalars(lr, ++adamSteps[src], settings.adam())));
        }
        try (OrtTrainingEngine engine = new OrtTrainingEngine(EngineKind.ORT_CPU, settings, dims,
                new FusedEngineOptions(steps, false))) {
            List<StepResult> outs = engine.run(state, batches, plan);
            for (int t = 1; t <= steps; t++) {
                double expected = FX.scalar("step" + t + "/loss");
                assertEquals(expected, outs.get(t - 1).loss(), 2e-6 * Math.abs(expected), "loss step" + t);
            }
        }
    }

    /** Recipe FAITHFUL for the fixture's sizes with the official per-source schedule (as GoldenUsaeTest). */
    private static TrainingSettings settings(int[] dims, long[] meta) {
        TrainingSettings r = new UsaeTrainer("FAITHFUL", meta[4], 1).settingsFor(dims, (int) meta[1]);
        Architecture a = r.architecture();
        return new TrainingSettings(new Architecture((int) meta[2], (int) meta[3], a.encoder(), a.sparsity(),
                a.decoderBias(), a.dictionary()), r.objective(), r.adam(), r.learningRate(), r.finalLearningRate(),
                r.warmupStartRate(), r.cosineSchedule(), true, r.gradClip(), r.deadReinitEvery(), r.tiedInit(),
                (int) meta[1], meta[4], meta[5], r.standardizationRows(), r.seed());
    }

    private static TrainingState initialState(TrainingSettings settings, List<String> names, int[] dims) {
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ModelParameters p = new ModelParameters(names.get(i), dims[i], settings.architecture());
            for (Map<String, float[]> tensors : List.of(p.trainable(), p.buffers())) {
                for (Map.Entry<String, float[]> e : tensors.entrySet()) {
                    float[] v = FX.f32("step0/" + names.get(i) + "/" + e.getKey());
                    System.arraycopy(v, 0, e.getValue(), 0, v.length);
                }
            }
            models.add(p);
        }
        return new TrainingState(new UsaeParameters(settings.architecture(), models), new Rng64(1), new Rng64(2));
    }

    /** One fused step with the fixture's source and rate, then the bookkeeping the training loop would do. */
    private static StepResult runOneStep(OrtTrainingEngine engine, TrainingState state, TrainingSettings settings,
                                              float[][] x, int[] dims, int rows, int src, double lr) {
        long adamStep = state.optimizer(src).values().iterator().next().steps() + 1;
        StepResult out = engine.run(state, List.of(batch(x, dims, rows)),
                List.of(PlannedStep.ofSources(dims.length, new int[]{src}, lr, AdamW.scalars(lr, adamStep, settings.adam())))).get(0);
        Map<String, AdamW> opt = state.optimizer(src);
        opt.replaceAll((name, a) -> AdamW.of(a.firstMoment(), a.secondMoment(), adamStep));
        ModelParameters p = state.params().model(src);
        p.setBnBatchesTracked(p.bnBatchesTracked() + 1);
        return out;
    }

    private static Batch batch(float[][] x, int[] dims, int rows) {
        float[][] copy = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            copy[i] = x[i].clone();    // the fixture's inputs are already standardised
        }
        return new Batch(new long[rows], copy, dims.clone());
    }

    /** See GoldenUsaeTest.adoptEncoderBias: within lr per update of each side, then torch's value and moments. */
    private static void adoptEncoderBias(TrainingState state, int model, String dir) {
        float[] expected = FX.f32(dir + "/" + ModelParameters.ENC_BIAS);
        float[] ours = state.params().model(model).encoderBias();
        long updates = state.optimizer(model).values().iterator().next().steps();
        double bound = 2 * updates * 3e-4 * 1.01 + 1e-6;
        for (int j = 0; j < ours.length; j++) {
            assertTrue(Math.abs(ours[j] - expected[j]) <= bound, dir + " encoder.bias[" + j + "] drift beyond " + bound);
        }
        System.arraycopy(expected, 0, ours, 0, ours.length);
        AdamW opt = state.optimizer(model).get(ModelParameters.ENC_BIAS);
        System.arraycopy(FX.f32(dir + "/exp_avg." + ModelParameters.ENC_BIAS), 0, opt.firstMoment(), 0, ours.length);
        System.arraycopy(FX.f32(dir + "/exp_avg_sq." + ModelParameters.ENC_BIAS), 0, opt.secondMoment(), 0, ours.length);
    }
}
