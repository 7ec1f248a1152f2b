package org.tribuo.usae.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StagedRows}' row updates with the JDK Vector API, reading the source rows where they are (no staging
 * copies: explicit vectors need no help from C2's alias analysis). Each element gets the scalar loop's float
 * operations in its order, a multiply rounded to float and then an add (no fused multiply-add), so results
 * equal the scalar kernels bit for bit. Loaded only when {@link VectorSwitch#ENABLED}: it names incubator types.
 */
final class VectorRows {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorRows() {
    }

    /** {@code acc[c] += g * src[r + c]} for c in {@code [0, d)}. */
    static void add(float[] acc, float[] src, int d, float g, int r) {
        int c = 0;
        for (; c + LANES <= d; c += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, src, r + c).mul(g);
            FloatVector.fromArray(SPECIES, acc, c).add(x).intoArray(acc, c);
        }
        for (; c < d; c++) {
            acc[c] += g * src[r + c];
        }
    }

    /** {@code acc[c] = (((acc[c] + g0*src[r0+c]) + g1*src[r1+c]) + g2*src[r2+c]) + g3*src[r3+c]}. */
    static void add4(float[] acc, float[] src, int d, float g0, int r0, float g1, int r1, float g2, int r2,
                     float g3, int r3) {
        int c = 0;
        for (; c + LANES <= d; c += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, acc, c);
            a = a.add(FloatVector.fromArray(SPECIES, src, r0 + c).mul(g0));
            a = a.add(FloatVector.fromArray(SPECIES, src, r1 + c).mul(g1));
            a = a.add(FloatVector.fromArray(SPECIES, src, r2 + c).mul(g2));
            a = a.add(FloatVector.fromArray(SPECIES, src, r3 + c).mul(g3));
            a.intoArray(acc, c);
        }
        for (; c < d; c++) {
            acc[c] = (((acc[c] + g0 * src[r0 + c]) + g1 * src[r1 + c]) + g2 * src[r2 + c]) + g3 * src[r3 + c];
        }
    }
}
