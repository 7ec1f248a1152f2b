package org.tribuo.usae.engine;

/**
 * Row kernels of the sparse decode and scatter on per-thread copies at offset 0. HotSpot C2 (JDK 17)
 * vectorizes {@code acc[c] += g * src[r + c]} only when every array access of the loop has the same
 * index expression: with different offsets in store and loads it cannot rule out overlap and runs the
 * loop scalar (measured on the 2-core dev VM, an in-L1 row of 768: 1.5-2 G multiply-adds/s against 10-19
 * with equal indices; -XX:-UseSuperWord makes both scalar, so the gap is vectorization). So the
 * accumulated row lives in {@link #acc} and each source row is copied (an intrinsic bulk copy) to a
 * buffer of its own before the {@code [c]}-indexed loop. Each element still gets the same float
 * operations in the same order as the scalar loop (Java forbids fusing the multiply and add), so
 * results are bit-identical. With the Vector API on ({@link VectorSwitch}) the adds read the source rows in
 * place ({@link VectorRows}, same operations and order, so the same bits); the scalar loops stay the fallback.
 *
 * <p>One instance per thread ({@link #forThread}), grown to the widest row seen; used within one
 * kernel call of that thread only.
 */
final class StagedRows {
    /** Vector API kernels ({@link VectorRows}, no staging copies) when on; static final, so the JIT folds it. */
    private static final boolean VECTOR = VectorSwitch.ENABLED;
    private static final ThreadLocal<StagedRows> OF_THREAD = ThreadLocal.withInitial(StagedRows::new);

    /** The accumulated row, {@code [d]}. */
    private float[] acc = new float[0];
    private float[] s0 = new float[0];
    private float[] s1 = new float[0];
    private float[] s2 = new float[0];
    private float[] s3 = new float[0];

    private StagedRows() {
    }

    /** @return this thread's instance with rows of at least {@code d} floats (contents left over). */
    static StagedRows forThread(int d) {
        StagedRows r = OF_THREAD.get();
        if (r.acc.length < d) {
            r.acc = new float[d];
            r.s0 = new float[d];
            r.s1 = new float[d];
            r.s2 = new float[d];
            r.s3 = new float[d];
        }
        return r;
    }

    /** Sets the accumulated row to {@code src[from, from + d)}, or to zeros when src is null. */
    void load(float[] src, int from, int d) {
        if (src == null) {
            java.util.Arrays.fill(acc, 0, d, 0f);
        } else {
            System.arraycopy(src, from, acc, 0, d);
        }
    }

    /** Copies the accumulated row to {@code dst[at, at + d)}. */
    void store(float[] dst, int at, int d) {
        System.arraycopy(acc, 0, dst, at, d);
    }

    /** {@code acc[c] += g * src[r + c]}. */
    void add(float[] src, int d, float g, int r) {
        if (VECTOR) {
            VectorRows.add(acc, src, d, g, r);
            return;
        }
        float[] a = acc;
        float[] x = s0;
        System.arraycopy(src, r, x, 0, d);
        for (int c = 0; c < d; c++) {
            a[c] += g * x[c];
        }
    }

    /**
     * Four {@link #add}s in one pass over the accumulated row:
     * {@code acc[c] = (((acc[c] + g0*src[r0+c]) + g1*src[r1+c]) + g2*src[r2+c]) + g3*src[r3+c]}.
     */
    void add4(float[] src, int d, float g0, int r0, float g1, int r1, float g2, int r2, float g3, int r3) {
        if (VECTOR) {
            VectorRows.add4(acc, src, d, g0, r0, g1, r1, g2, r2, g3, r3);
            return;
        }
        float[] a = acc;
        float[] x0 = s0;
        float[] x1 = s1;
        float[] x2 = s2;
        float[] x3 = s3;
        System.arraycopy(src, r0, x0, 0, d);
        System.arraycopy(src, r1, x1, 0, d);
        System.arraycopy(src, r2, x2, 0, d);
        System.arraycopy(src, r3, x3, 0, d);
        for (int c = 0; c < d; c++) {
            a[c] = (((a[c] + g0 * x0[c]) + g1 * x1[c]) + g2 * x2[c]) + g3 * x3[c];
        }
    }
}
