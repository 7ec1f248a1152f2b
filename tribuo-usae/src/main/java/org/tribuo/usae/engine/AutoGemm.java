package org.tribuo.usae.engine;

/**
 * Chooses a {@link Gemm} per call by size: products under {@link #NATIVE_MIN_FLOPS} stay in Java
 * (copying operands off-heap and the JNI call cost more than they save), larger ones go native.
 * Falls back to Java everywhere when ND4J cannot load.
 */
public final class AutoGemm implements Gemm {
    /**
     * 2mnk from which ND4J goes first: where it overtook {@link JavaGemm} in all four transpose cases on a 2-core
     * machine (the measurement is in BENCHMARKS.md).
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
