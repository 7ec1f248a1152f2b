package org.tribuo.usae.synth;

import org.junit.jupiter.api.Test;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hard suite's scores on an oracle USAE built from the ground truth (every concept at its own latent, encoders
 * reading along the concepts' directions, each exclusive latent switched off in the other model), and on that oracle
 * with one concept broken: exact fractions where the truth fixes them.
 */
class HardRecoveryTest {
    /** Wide models for few concepts, so that the oracle's linear encoders detect their concepts well. */
    private static final HardPlantedOptions SMALL = new HardPlantedOptions(new int[]{64, 96}, new String[]{"a", "b"},
            8, 3, 40, 12, 0.08, 0.01, 0.5, 0.8, 6, 0.6, 0.2, true, 0.1, 0, 1.0, 2.0, 0.01, 11L);
    private static final long EVAL = 1L << 40;

    @Test
    void theOracleRecoversEverythingAndItsLabelsAreRight() {
        HardPlantedGeometry g = new HardPlantedGeometry(SMALL);
        HardRecoveryResult r = HardRecovery.score(oracle(g, -1), g, EVAL, 4000, 0.9);
        assertEquals(1.0, r.universal());
        assertEquals(1.0, r.universalParents());
        assertEquals(1.0, r.universalChildren());
        assertEquals(1.0, r.universalFree());
        assertArrayEquals(new double[]{1, 1}, r.perModelRecall());
        assertEquals(1.0, r.perModelMeanCos()[0], 1e-6);
        assertEquals(1.0, r.mcc()[1], 1e-6);
        assertEquals(72, r.trulyShared());
        // the other model's 12 exclusive latents can never fire here; they fire in their own model, so are not dead
        assertTrue(r.deadFraction()[0] >= 12.0 / 96, "dead " + r.deadFraction()[0]);
        assertTrue(r.deadEverywhere() < r.deadFraction()[0], "dead everywhere " + r.deadEverywhere());
        assertArrayEquals(new int[]{12, 12}, r.trulyExclusive());
        LabelScores f = r.firingLabels();
        LabelScores t = r.traceLabels();
        System.out.println("oracle: exclusive recall " + java.util.Arrays.toString(r.exclusiveRecall()) + ", F1 "
                + java.util.Arrays.toString(r.f1()) + ", dead " + java.util.Arrays.toString(r.deadFraction())
                + ", co-firing labels " + f + ", trace labels " + t);
        // the universal label can only be given to a shared latent: the exclusive ones never fire in the other model
        assertEquals(1.0, f.universalPrecision());
        assertTrue(f.universalRecall() > 0.5, "universal recall " + f.universalRecall());
        // the oracle's exclusive latents leave the other model unmoved and its shared ones move both: the trace rule
        // labels every latent that fires often enough, and labels none wrongly
        assertEquals(1.0, t.universalPrecision());
        assertTrue(t.universalRecall() > 0.9, "trace universal recall " + t.universalRecall());
        for (int i = 0; i < 2; i++) {
            assertTrue(r.exclusiveRecall()[i] > 0.9, java.util.Arrays.toString(r.exclusiveRecall()));
            assertTrue(f.uniqueRecall()[i] > 0.8, java.util.Arrays.toString(f.uniqueRecall()));
            assertEquals(1.0, t.uniquePrecision()[i], java.util.Arrays.toString(t.uniquePrecision()));
            assertTrue(t.uniqueRecall()[i] > 0.8, java.util.Arrays.toString(t.uniqueRecall()));
            assertTrue(r.f1()[i] > 0.5, java.util.Arrays.toString(r.f1()));
        }
    }

    @Test
    void aConceptMissingInOneModelIsNotUniversal() {
        HardPlantedGeometry g = new HardPlantedGeometry(SMALL);
        // model b's latent 3 (a parent) decodes concept 4's direction: concept 3 is lost there, 4 is held twice
        HardRecoveryResult r = HardRecovery.score(oracle(g, 3), g, EVAL, 500, 0.9);
        assertEquals(71.0 / 72, r.universal());
        assertEquals(7.0 / 8, r.universalParents());
        assertEquals(1.0, r.universalChildren());
        assertArrayEquals(new double[]{1, 71.0 / 72}, r.perModelRecall());
        assertEquals(71, r.trulyShared());
    }

    @Test
    void labelPrecisionAndRecallOnHandMadeLabels() {
        boolean[] labelled = {true, true, false, false, true};
        boolean[] truth = {true, false, true, false, true};
        assertArrayEquals(new double[]{2.0 / 3, 2.0 / 3}, HardRecovery.precisionRecall(labelled, truth));
        assertTrue(Double.isNaN(HardRecovery.precisionRecall(new boolean[3], truth)[0]));
    }

    /** A random unit direction, nearly orthogonal to every planted one. */
    private static float[] unrelated(int d, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[d];
        double n = 0;
        for (int t = 0; t < d; t++) {
            v[t] = (float) r.nextGaussian();
            n += v[t] * v[t];
        }
        for (int t = 0; t < d; t++) {
            v[t] = (float) (v[t] / Math.sqrt(n));
        }
        return v;
    }

    /**
     * @param broken a shared concept whose latent in model b decodes the next concept's direction, or -1.
     * @return latents [0, S) the shared concepts, then each model's exclusive concepts.
     */
    static UsaeModel oracle(HardPlantedGeometry g, int broken) {
        HardPlantedOptions o = g.options();
        int s = o.sharedConcepts();
        int e = o.exclusivePerModel();
        int m = s + o.numModels() * e;
        Architecture arch = new Architecture(m, 8, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED);
        float[][][] shared = g.sharedDirections();
        float[][][] exclusive = g.exclusiveDirections();
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < o.numModels(); i++) {
            int d = o.dims()[i];
            ModelParameters p = new ModelParameters(o.names()[i], d, arch);
            float[] w = p.encoderWeight();
            float[] dict = p.dictionary();
            float[] bias = p.get(ModelParameters.ENC_BIAS);
            for (int j = 0; j < m; j++) {
                float[] dir;
                boolean off = false;
                if (j < s) {
                    dir = shared[i][i == 1 && j == broken ? j + 1 : j];
                } else {
                    int owner = (j - s) / e;
                    off = owner != i;
                    dir = off ? unrelated(d, j) : exclusive[i][(j - s) % e];
                }
                System.arraycopy(dir, 0, dict, j * d, d);
                if (off) {
                    bias[j] = -1e3f;
                } else {
                    // a threshold below every planted magnitude: TopK's slots left over by a token with few concepts
                    // stay empty instead of picking interference
                    bias[j] = -0.6f;
                    System.arraycopy(dir, 0, w, j * d, d);
                }
            }
            // x_std - input_bias = the saturated linear part: sigma undoes the model's scale, the bias its offset
            double scale = g.modelScale[i];
            p.setStandardization(0, scale - ModelParameters.STANDARDIZE_EPS);
            float[] inputBias = p.get(ModelParameters.INPUT_BIAS);
            for (int t = 0; t < d; t++) {
                inputBias[t] = (float) (g.offsets[i][t] / scale);
            }
            models.add(p);
        }
        return UsaeModel.create("oracle", new ModelProvenance(UsaeModel.class.getName(), OffsetDateTime.now(),
                new EmptyDatasetProvenance(), new EmptyTrainerProvenance()), new UsaeParameters(arch, models));
    }
}
