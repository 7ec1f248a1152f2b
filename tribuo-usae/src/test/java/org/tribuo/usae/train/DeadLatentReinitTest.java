package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.ModelParameters;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DATA_ROWS re-initialisation on hand-made counters: what restarts, from which token, and what stays untouched. */
class DeadLatentReinitTest {
    private static final int[] DIMS = {3, 4};

    @Test
    void aDeadLatentRestartsAlongOneTokenOfTheBatchInEveryModelWhereItIsDead() {
        // re-initialisation every 100 steps (ALIGNED's until issue 20): the step-0 check below is due
        TrainingSettings s = new UsaeTrainer(Recipes.get("ALIGNED").derive("REINIT", "ALIGNED re-initialising")
                .deadReinitEvery(100).build(), 3, 1).settingsFor(DIMS, 100);
        int m = s.architecture().numLatents();
        int dead = s.objective().deadSteps() + 1;
        TrainingState state = new TrainingState(Initializer.initialize(s.architecture(), List.of("a", "b"), DIMS,
                s.tiedInit(), new Rng64(1)), new Rng64(2), new Rng64(3));
        for (int i = 0; i < 2; i++) {
            float[] bias = state.params().model(i).inputBias();
            for (int c = 0; c < bias.length; c++) {
                bias[c] = 0.5f * (c + 1);
            }
            state.optimizer(i).get(ModelParameters.ENC_WEIGHT).firstMoment()[0] = 7f;
        }
        state.stepsSinceFired()[0][0] = dead;               // latent 0: dead in both models
        state.stepsSinceFired()[1][0] = dead;
        state.stepsSinceFired()[1][1] = dead;               // latent 1: dead in model b only
        ModelParameters a = state.params().model(0);
        float[] aliveRowBefore = java.util.Arrays.copyOfRange(a.encoderWeight(), 2 * 3, 3 * 3);
        float[] latent1InA = java.util.Arrays.copyOfRange(a.dictionary(), 3, 6);
        // two tokens; token t of model i holds (t + 1) * (c + 1) + input bias in coordinate c
        float[][] x = new float[2][];
        for (int i = 0; i < 2; i++) {
            x[i] = new float[2 * DIMS[i]];
            for (int t = 0; t < 2; t++) {
                for (int c = 0; c < DIMS[i]; c++) {
                    x[i][t * DIMS[i] + c] = (t + 1) * (c + 1) + 0.5f * (c + 1);
                }
            }
        }
        Batch batch = new Batch(new long[]{0, 1}, x, DIMS);
        double[] liveNorm = new double[2];
        for (int i = 0; i < 2; i++) {
            ModelParameters p = state.params().model(i);
            double sum = 0;
            int live = 0;
            for (int j = 0; j < m; j++) {
                if (state.stepsSinceFired()[i][j] > dead - 1) {
                    continue;
                }
                double n = 0;
                for (int c = 0; c < DIMS[i]; c++) {
                    n += (double) p.encoderWeight()[j * DIMS[i] + c] * p.encoderWeight()[j * DIMS[i] + c];
                }
                sum += Math.sqrt(n);
                live++;
            }
            liveNorm[i] = sum / live;
        }
        new ParameterUpdate(s, DeadLatentReinit.DATA_ROWS).reinitializeDeadFromData(state, batch);
        for (int i = 0; i < 2; i++) {
            ModelParameters p = state.params().model(i);
            int d = DIMS[i];
            // whichever token was drawn, x - bias is (t + 1)(1, 2, ..., d): its unit direction is fixed
            double norm = 0;
            for (int c = 0; c < d; c++) {
                norm += (c + 1.0) * (c + 1.0);
            }
            float[] unit = new float[d];
            float[] encoder = new float[d];
            for (int c = 0; c < d; c++) {
                unit[c] = (float) ((c + 1) / Math.sqrt(norm));
                encoder[c] = (float) (unit[c] * liveNorm[i]);
            }
            assertArrayEquals(unit, java.util.Arrays.copyOfRange(p.dictionary(), 0, d), 1e-6f, "model " + i);
            assertArrayEquals(encoder, java.util.Arrays.copyOfRange(p.encoderWeight(), 0, d), 1e-5f, "model " + i);
            assertEquals(0f, p.encoderBias()[0]);
            assertEquals(0f, state.optimizer(i).get(ModelParameters.ENC_WEIGHT).firstMoment()[0]);
            assertEquals(0, state.stepsSinceFired()[i][0]);
        }
        assertEquals(0, state.stepsSinceFired()[1][1]);
        assertArrayEquals(latent1InA, java.util.Arrays.copyOfRange(a.dictionary(), 3, 6), "latent 1 lives in model a");
        assertArrayEquals(aliveRowBefore, java.util.Arrays.copyOfRange(a.encoderWeight(), 6, 9), "a live latent");
        assertThrows(IllegalArgumentException.class, () -> new ParameterUpdate(s, DeadLatentReinit.DATA_ROWS)
                .finish(state, new ParameterUpdate(s).plan(state, 0, new int[]{0, 1}, new long[2]), new boolean[2][m],
                        List.of(List.of(), List.of()), null));
    }
}
