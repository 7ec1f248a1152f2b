package org.tribuo.usae.engine;

/**
 * The row dot products of the sparse backward ({@code gOut[n] . D[idx]}, d = 384-768), dispatched once per JVM
 * to {@link VectorDots} (JDK Vector API) when {@link VectorSwitch#ENABLED}, else to {@link ScalarDots}. Either
 * way each sum has a fixed order that does not depend on the thread count; the two kernels differ from each
 * other by rounding only. Their measured rates are in BENCHMARKS.md (training throughput).
 */
final class RowDots {
    /** Static final, so the JIT folds the branch; {@link VectorDots} is not loaded when false. */
    static final boolean VECTOR = VectorSwitch.ENABLED;

    private RowDots() {
    }

    /** @return which kernels run, for logs and benchmarks: "vector (16 lanes)" or "scalar". */
    static String describe() {
        return VECTOR ? "vector (" + VectorDots.lanes() + " lanes)" : "scalar";
    }

    /** {@code sum_c a[ao + c] * b[bo + c]} for c in {@code [0, n)}. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return VECTOR ? VectorDots.dot(a, ao, b, bo, n) : ScalarDots.dot(a, ao, b, bo, n);
    }

    /** {@code grad[qi] += dot(a, ao, b, bi, n)} for the four rows {@code bi}, each equal to {@link #dot}. */
    static void addDots4(float[] a, int ao, float[] b, int n, float[] grad, int q0, int b0, int q1, int b1,
                         int q2, int b2, int q3, int b3) {
        if (VECTOR) {
            VectorDots.addDots4(a, ao, b, n, grad, q0, b0, q1, b1, q2, b2, q3, b3);
        } else {
            ScalarDots.addDots4(a, ao, b, n, grad, q0, b0, q1, b1, q2, b2, q3, b3);
        }
    }
}
