package org.tribuo.usae.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row dot products of the slot gradients with the JDK Vector API: L = the preferred species' lanes
 * (16 with AVX-512, 8 with AVX2). Loaded only through {@link RowDots} when {@link VectorSwitch#ENABLED}, since
 * it names incubator types.
 *
 * <p>The summation order is fixed by the code, not by the JIT or the thread count: element c of the first
 * {@code floor(n / L) * L} goes to lane {@code c % L} of accumulator {@code (c / L) % 2} by a fused multiply-add
 * (Math.fma semantics in every execution mode), the two accumulators are added lane-wise, the L lanes are
 * folded in halves ({@link #foldLanes}; not {@code reduceLanes}, whose float order the API leaves open), and
 * the tail is added one element at a time. {@link #addDots4}'s four sums are each {@link #dot}'s, bit for bit.
 * The order differs from {@link ScalarDots}', so the two agree to rounding only.
 */
final class VectorDots {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Per-thread lane store for the fold, {@code [4 x LANES]}: one row per sum of {@link #addDots4}. */
    private static final ThreadLocal<float[]> LANE_ROWS = ThreadLocal.withInitial(() -> new float[4 * LANES]);

    private VectorDots() {
    }

    /** @return lanes per vector on this machine. */
    static int lanes() {
        return LANES;
    }

    /** {@code sum_c a[ao + c] * b[bo + c]} for c in {@code [0, n)}, in the order of the class comment. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        int c = 0;
        for (; c + 2 * LANES <= n; c += 2 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + c).fma(FloatVector.fromArray(SPECIES, b, bo + c), s0);
            s1 = FloatVector.fromArray(SPECIES, a, ao + c + LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + c + LANES), s1);
        }
        if (c + LANES <= n) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + c).fma(FloatVector.fromArray(SPECIES, b, bo + c), s0);
            c += LANES;
        }
        float[] lanes = LANE_ROWS.get();
        s0.add(s1).intoArray(lanes, 0);
        float sum = foldLanes(lanes, 0);
        for (; c < n; c++) {
            sum += a[ao + c] * b[bo + c];
        }
        return sum;
    }

    /**
     * {@code grad[qi] += dot(a, ao, b, bi, n)} for four rows {@code bi} in one pass over {@code a} (eight
     * accumulators in flight, each {@code a} chunk loaded once).
     */
    static void addDots4(float[] a, int ao, float[] b, int n, float[] grad, int q0, int b0, int q1, int b1,
                         int q2, int b2, int q3, int b3) {
        FloatVector x0 = FloatVector.zero(SPECIES);
        FloatVector x1 = x0;
        FloatVector y0 = x0;
        FloatVector y1 = x0;
        FloatVector z0 = x0;
        FloatVector z1 = x0;
        FloatVector w0 = x0;
        FloatVector w1 = x0;
        int c = 0;
        for (; c + 2 * LANES <= n; c += 2 * LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, a, ao + c);
            FloatVector a1 = FloatVector.fromArray(SPECIES, a, ao + c + LANES);
            x0 = a0.fma(FloatVector.fromArray(SPECIES, b, b0 + c), x0);
            x1 = a1.fma(FloatVector.fromArray(SPECIES, b, b0 + c + LANES), x1);
            y0 = a0.fma(FloatVector.fromArray(SPECIES, b, b1 + c), y0);
            y1 = a1.fma(FloatVector.fromArray(SPECIES, b, b1 + c + LANES), y1);
            z0 = a0.fma(FloatVector.fromArray(SPECIES, b, b2 + c), z0);
            z1 = a1.fma(FloatVector.fromArray(SPECIES, b, b2 + c + LANES), z1);
            w0 = a0.fma(FloatVector.fromArray(SPECIES, b, b3 + c), w0);
            w1 = a1.fma(FloatVector.fromArray(SPECIES, b, b3 + c + LANES), w1);
        }
        if (c + LANES <= n) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, a, ao + c);
            x0 = a0.fma(FloatVector.fromArray(SPECIES, b, b0 + c), x0);
            y0 = a0.fma(FloatVector.fromArray(SPECIES, b, b1 + c), y0);
            z0 = a0.fma(FloatVector.fromArray(SPECIES, b, b2 + c), z0);
            w0 = a0.fma(FloatVector.fromArray(SPECIES, b, b3 + c), w0);
            c += LANES;
        }
        float[] lanes = LANE_ROWS.get();
        x0.add(x1).intoArray(lanes, 0);
        y0.add(y1).intoArray(lanes, LANES);
        z0.add(z1).intoArray(lanes, 2 * LANES);
        w0.add(w1).intoArray(lanes, 3 * LANES);
        float sx = foldLanes(lanes, 0);
        float sy = foldLanes(lanes, LANES);
        float sz = foldLanes(lanes, 2 * LANES);
        float sw = foldLanes(lanes, 3 * LANES);
        for (; c < n; c++) {
            float av = a[ao + c];
            sx += av * b[b0 + c];
            sy += av * b[b1 + c];
            sz += av * b[b2 + c];
            sw += av * b[b3 + c];
        }
        grad[q0] += sx;
        grad[q1] += sy;
        grad[q2] += sz;
        grad[q3] += sw;
    }

    /**
     * Sums {@code v[at, at + LANES)} by folding halves: {@code v[i] += v[i + h]} for h = L/2, L/4, ..., 1
     * (species lengths are powers of two); overwrites those lanes.
     */
    static float foldLanes(float[] v, int at) {
        for (int h = LANES / 2; h >= 1; h /= 2) {
            for (int i = at; i < at + h; i++) {
                v[i] += v[i + h];
            }
        }
        return v[at];
    }
}
