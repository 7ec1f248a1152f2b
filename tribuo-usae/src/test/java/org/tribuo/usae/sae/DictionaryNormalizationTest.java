package org.tribuo.usae.sae;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The dictionary-normalization blocks: hand-made rows, float = reference, finite differences, the projection. */
class DictionaryNormalizationTest {
    private static final int M = 3;
    private static final int D = 4;

    private static float[] randomRows(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[M * D];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void rowNormalizedDividesEachRowByItsNormAndMatchesTheModelsOwnNormalizedRows() {
        float[] w = {3f, 4f, 0f, 0f, 0f, 0f, 0f, 2f, 1f, 1f, 1f, 1f};
        float[] rows = RowNormalizedDictionary.INSTANCE.forwardRows(w, M, D);
        assertArrayEquals(new float[]{0.6f, 0.8f, 0f, 0f, 0f, 0f, 0f, 1f, 0.5f, 0.5f, 0.5f, 0.5f}, rows, 1e-6f);
        ModelParameters p = ModelParameters.of("a", D, M, java.util.Map.of(ModelParameters.DICTIONARY, w.clone(),
                ModelParameters.ENC_WEIGHT, new float[M * D]),
                java.util.Map.of(), 0f, 1f, 0);
        assertArrayEquals(p.normalizedDictionary(), rows, 0f);
        assertSame(w, ProjectedUnitDictionary.INSTANCE.decoder(w, M, D, new float[w.length]), "projected: used as stored");
    }

    @Test
    void floatAndReferencePathsAgreeAndTheGradientIsTheDecodersDerivative() {
        float[] w = randomRows(3);
        float[] gradDecoder = randomRows(4);
        double[] dw = toDouble(w);
        double[] dg = toDouble(gradDecoder);
        for (DictionaryConstraint name : DictionaryConstraint.values()) {
            DictionaryNormalization block = name.normalization();
            float[] dec = block.decoder(w, M, D, new float[w.length]);
            double[] ref = block.referenceDecoder(dw, M, D);
            float[] grad = block.gradient(w, M, D, gradDecoder, new float[w.length]);
            double[] refGrad = block.referenceGradient(dw, M, D, dg);
            for (int i = 0; i < w.length; i++) {
                assertEquals(ref[i], dec[i], 1e-6, name + " decoder " + i);
                assertEquals(refGrad[i], grad[i], 1e-5, name + " gradient " + i);
            }
            // d/dW of <gradDecoder, decoder(W)> by central differences of the reference decoder
            double h = 1e-6;
            for (int i = 0; i < w.length; i++) {
                double keep = dw[i];
                dw[i] = keep + h;
                double up = dot(dg, block.referenceDecoder(dw, M, D));
                dw[i] = keep - h;
                double down = dot(dg, block.referenceDecoder(dw, M, D));
                dw[i] = keep;
                assertEquals((up - down) / (2 * h), refGrad[i], 1e-6, name + " finite difference " + i);
            }
        }
    }

    @Test
    void projectedUnitNormalisesRowsAndRemovesTheParallelGradientBeforeTheStep() {
        float[] w = {3f, 4f, 0f, 2f};
        float[] g = {1f, 1f, 5f, 7f};
        ProjectedUnitDictionary.INSTANCE.beforeUpdate(w, g, 2, 2);
        assertArrayEquals(new float[]{0.6f, 0.8f, 0f, 1f}, w, 1e-6f);
        assertEquals(0.0, w[0] * g[0] + w[1] * g[1], 1e-6);
        assertEquals(0.0, w[2] * g[2] + w[3] * g[3], 1e-6);
        assertArrayEquals(new float[]{1f - 1.4f * 0.6f, 1f - 1.4f * 0.8f, 5f, 0f}, g, 1e-6f);
        float[] w2 = {3f, 4f};
        float[] g2 = {1f, 1f};
        RowNormalizedDictionary.INSTANCE.beforeUpdate(w2, g2, 1, 2);
        assertArrayEquals(new float[]{3f, 4f}, w2, 0f);
        assertArrayEquals(new float[]{1f, 1f}, g2, 0f);
    }

    @Test
    void theRecordedNamesMapToTheirBlocks() {
        assertSame(RowNormalizedDictionary.INSTANCE, DictionaryConstraint.ROW_NORMALIZED.normalization());
        assertSame(ProjectedUnitDictionary.INSTANCE, DictionaryConstraint.UNIT_NORM_PROJECTED.normalization());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
