package org.tribuo.usae.engine;

/**
 * Chooses a {@link Gemm} per call by size: products under {@link #NATIVE_MIN_FLOPS} stay in Java
 * (copying operands off-heap and the JNI call cost more than they save), larger ones go native.
 * Falls back to Java everywhere when ND4J cannot load.
 */
public final class AutoGemm implements Gemm {
    /**
     * 2mnk at which ND4J overtakes {@link JavaGemm} on a 2-core VM (measured: ND4J ahead from about 1e5 flops;
     * at 6.6e4 it depends on the transpose flags, at 1.3e5 ND4J is 2-4x faster in all four).
     */
    public static final long NATIVE_MIN_FLOPS = 100_000L;

    private final Gemm small = new JavaGemm();
    private final Gemm large;

    /** Uses ND4J for large products when it loads. */
    public AutoGemm() {
        this(Nd4jGemm.available());
    }

    /** @param useNative whether large products may use ND4J. */
    public AutoGemm(boolean useNative) {
        this.large = useNative ? new Nd4jGemm() : small;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                      float beta, float[] c) {
        long flops = 2L * m * n * k;
        Gemm g = flops < NATIVE_MIN_FLOPS ? small : large;
        g.sgemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    }
}
