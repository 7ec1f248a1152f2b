package org.tribuo.usae.sae;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The reconstruction criteria: exact values on a hand-made block, fast = reference, gradients, any row split. */
class ReconstructionCriteriaTest {
    // two rows of width 2: E = [[1, -2], [0, 3]], targets x = [[1, 1], [2, 0]] (squared norms 2 and 4)
    private static final float[] E = {1, -2, 0, 3};
    private static final float[] X = {1, 1, 2, 0};

    /** A split into uneven parts run in reverse order: a block must not depend on it. */
    private static final RowSplit THREE_PARTS = (rows, body) -> {
        int a = rows / 3;
        int b = Math.min(rows, a + 1);
        body.run(b, rows);
        body.run(a, b);
        body.run(0, a);
    };

    @Test
    void valuesAndGradientsOnAHandMadeBlock() {
        float[] g = new float[4];
        // L1: (1 + 2 + 0 + 3) / 4 = 1.5, times scale 2; gradient 2/4 * sign(E)
        assertEquals(3.0, L1Criterion.INSTANCE.apply(E, X, 2, 2, 2.0, g, RowSplit.SERIAL), 1e-12);
        assertArrayEquals(new float[]{0.5f, -0.5f, 0f, 0.5f}, g);
        g = new float[4];
        // L2: (1 + 4 + 0 + 9) / 4 = 3.5; gradient 2 E / 4
        assertEquals(3.5, L2Criterion.INSTANCE.apply(E, X, 2, 2, 1.0, g, RowSplit.SERIAL), 1e-12);
        assertArrayEquals(new float[]{0.5f, -1f, 0f, 1.5f}, g);
        g = new float[4];
        // NMSE: mean over rows of |e|²/|x|² = (5/2 + 9/4) / 2 = 2.375; gradient 2 E / (rows |x|²)
        assertEquals(2.375, NmseCriterion.INSTANCE.apply(E, X, 2, 2, 1.0, g, RowSplit.SERIAL), 1e-12);
        assertArrayEquals(new float[]{0.5f, -1f, 0f, 0.75f}, g);
    }

    @Test
    void fastEqualsReferenceForAnySplitAndTheGradientIsTheValuesDerivative() {
        int rows = 11;
        int d = 7;
        SplittableRandom r = new SplittableRandom(9);
        float[] e = new float[rows * d];
        float[] x = new float[rows * d];
        double[] de = new double[e.length];
        double[] dx = new double[x.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) r.nextGaussian();
            x[i] = (float) r.nextGaussian();
            de[i] = e[i];
            dx[i] = x[i];
        }
        for (ReconstructionLoss loss : ReconstructionLoss.values()) {
            ReconstructionCriterion c = loss.criterion();
            float[] g1 = new float[e.length];
            float[] g3 = new float[e.length];
            double v1 = c.apply(e, x, rows, d, 0.7, g1, RowSplit.SERIAL);
            double v3 = c.apply(e, x, rows, d, 0.7, g3, THREE_PARTS);
            assertEquals(v1, v3, 0.0, loss + ": the split changed the value");
            assertArrayEquals(g1, g3, loss + ": the split changed the gradient");
            double[] gd = new double[e.length];
            double ref = c.reference(de, dx, rows, d, 0.7, gd);
            assertEquals(ref, v1, 1e-9 * Math.abs(ref), loss.toString());
            for (int i = 0; i < e.length; i++) {
                assertEquals(gd[i], g1[i], 1e-6 * (1 + Math.abs(gd[i])), loss + " gradient " + i);
            }
            // central differences of the reference value (L1 is smooth away from E = 0, which Gaussians avoid)
            double h = 1e-6;
            for (int i = 0; i < e.length; i += 5) {
                double keep = de[i];
                de[i] = keep + h;
                double up = c.reference(de, dx, rows, d, 0.7, null);
                de[i] = keep - h;
                double down = c.reference(de, dx, rows, d, 0.7, null);
                de[i] = keep;
                assertEquals((up - down) / (2 * h), gd[i], 1e-6, loss + " finite difference " + i);
            }
        }
    }

    @Test
    void theRecordedNamesMapToTheirBlocks() {
        assertSame(L1Criterion.INSTANCE, ReconstructionLoss.L1.criterion());
        assertSame(L2Criterion.INSTANCE, ReconstructionLoss.L2.criterion());
        assertSame(NmseCriterion.INSTANCE, ReconstructionLoss.NMSE.criterion());
    }
}
