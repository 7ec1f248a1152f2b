package org.tribuo.usae.onnx.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ORT SPARC step against the SPARC code itself: core's {@code GoldenSparcTest} fixture (torch-recorded
 * steps of {@code MultiStreamSparseAutoencoder} + {@code train_loop}: global TopK, NMSE self and cross
 * terms, AuxK, decoder renormalise-and-project, Adam, dead-latent re-initialisation), replayed one
 * fused step per call. Tolerances as there: {@code 1e-6 + 2e-6 max|torch|} per tensor, moments 1e-5
 * relative, losses 2e-6 relative; the dead-latent counters exactly. Re-initialisation draws random rows
 * in Java between chunks (TrainingLoop); here the latents our counters call dead must be exactly
 * the fixture's re-initialised ones, whose rows are then adopted from torch.
 */
class OrtGoldenSparcTest {
    private static final double RTOL = 2e-6;
    private static final double ATOL = 1e-6;
    private static final double MOMENT_RTOL = 1e-5;
    private static final GoldenFiles FX = new GoldenFiles("sparc");

    @Test
    void ortSparcStepsMatchSparcCodeStepByStep() {
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
        int[] all = {0, 1, 2};
        int reinitSeen = 0;
        try (OrtTrainingEngine engine = new OrtTrainingEngine(EngineKind.ORT_CPU, settings, dims,
                new FusedEngineOptions(1, false))) {
            for (int t = 1; t <= steps; t++) {
                String step = "step" + t;
                long adamStep = state.optimizer(0).values().iterator().next().steps() + 1;
                double lr = settings.learningRate();
                StepResult out = engine.run(state, List.of(batch(x, dims, rows)),
                        List.of(PlannedStep.ofSources(3, all, lr, AdamW.scalars(lr, adamStep, settings.adam())))).get(0);
                double expectedLoss = FX.scalar(step + "/loss");
                assertEquals(expectedLoss, out.loss(), 2e-6 * Math.abs(expectedLoss), "loss " + step);
                double expectedAux = FX.scalar(step + "/auxk_loss") * settings.objective().auxWeight();
                assertEquals(expectedAux, out.auxLoss(), 2e-6 * Math.abs(expectedAux), "auxk loss " + step);
                for (int i = 0; i < 3; i++) {
                    String dir = step + "/" + names.get(i);
                    bookkeeping(state, i, out.fired()[i], adamStep);
                    // SPARC re-initialises after the 0-based steps 0, N, 2N, ... (TrainingLoop ends chunks there)
                    if ((t - 1) % settings.deadReinitEvery() == 0) {
                        reinitSeen += reinitialiseLikeFixture(state, i, dir, settings.objective().deadSteps());
                    }
                    assertArrayEquals(FX.i64(dir + "/stats_last_nonzero"), state.stepsSinceFired()[i],
                            "dead counters " + dir);
                    FX.compareModel(state, i, dir, RTOL, ATOL, MOMENT_RTOL);
                }
            }
        }
        assertEquals(18, reinitSeen, "the fixture re-initialises 6 latents per stream once");
    }

    /** What TrainingLoop does after a step: counters from firing, AdamW step counts. */
    private static void bookkeeping(TrainingState state, int model, boolean[] fired, long adamStep) {
        long[] counters = state.stepsSinceFired()[model];
        for (int j = 0; j < counters.length; j++) {
            counters[j] = fired[j] ? 1 : counters[j] + 1;
        }
        Map<String, AdamW> opt = state.optimizer(model);
        opt.replaceAll((name, a) -> AdamW.of(a.firstMoment(), a.secondMoment(), adamStep));
    }

    /**
     * Our dead set (counter > deadSteps, ParameterUpdate's rule) must equal the fixture's re-initialised
     * latents; those get latent bias 0, counter 0 and torch's random encoder row.
     * @return latents re-initialised.
     */
    private static int reinitialiseLikeFixture(TrainingState state, int model, String dir, int deadSteps) {
        long[] reinit = FX.i64(dir + "/reinit");
        ModelParameters p = state.params().model(model);
        long[] counters = state.stepsSinceFired()[model];
        float[] torchW = FX.f32(dir + "/" + ModelParameters.ENC_WEIGHT);
        int d = p.dim();
        int n = 0;
        for (int j = 0; j < counters.length; j++) {
            assertEquals(reinit[j] != 0, counters[j] > deadSteps, dir + " latent " + j + " dead (counter " + counters[j] + ")");
            if (reinit[j] != 0) {
                p.encoderBias()[j] = 0;
                counters[j] = 0;
                System.arraycopy(torchW, j * d, p.encoderWeight(), j * d, d);
                n++;
            }
        }
        return n;
    }

    /** Recipe SPARC for the fixture's sizes, auxK, dead thresholds and re-init period (as GoldenSparcTest). */
    private static TrainingSettings settings(int[] dims, long[] meta) {
        int rows = (int) meta[1];
        TrainingSettings r = new UsaeTrainer("SPARC", meta[0], 1).settingsFor(dims, rows);
        Architecture a = r.architecture();
        Objective o = r.objective();
        return new TrainingSettings(
                new Architecture((int) meta[2], (int) meta[3], a.encoder(), a.sparsity(), a.decoderBias(), a.dictionary()),
                new Objective(o.reconstruction(), o.aux(), o.auxWeight(), (int) meta[4], o.crossWeight(), o.sources(),
                        o.updateRule(), (int) meta[5], o.fireThreshold()),
                r.adam(), r.learningRate(), r.finalLearningRate(), r.warmupStartRate(), r.cosineSchedule(),
                r.schedulePerSource(), r.gradClip(), (int) meta[6], r.tiedInit(), rows, meta[0], 0,
                r.standardizationRows(), r.seed());
    }

    private static TrainingState initialState(TrainingSettings settings, List<String> names, int[] dims) {
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ModelParameters p = new ModelParameters(names.get(i), dims[i], settings.architecture());
            for (Map.Entry<String, float[]> e : p.trainable().entrySet()) {
                float[] v = FX.f32("step0/" + names.get(i) + "/" + e.getKey());
                System.arraycopy(v, 0, e.getValue(), 0, v.length);
            }
            models.add(p);
        }
        return new TrainingState(new UsaeParameters(settings.architecture(), models), new Rng64(1), new Rng64(2));
    }

    private static Batch batch(float[][] x, int[] dims, int rows) {
        float[][] copy = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            copy[i] = x[i].clone();
        }
        return new Batch(new long[rows], copy, dims.clone());
    }
}
