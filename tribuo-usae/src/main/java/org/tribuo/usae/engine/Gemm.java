package org.tribuo.usae.engine;

/**
 * Single-precision general matrix multiply on row-major {@code float[]}s:
 * {@code C = alpha * op(A) . op(B) + beta * C}, with {@code op(A)} of shape {@code [m x k]},
 * {@code op(B)} of {@code [k x n]} and C of {@code [m x n]}.
 *
 * <p>A is stored {@code [m x k]}, or {@code [k x m]} when {@code transA}; B is stored
 * {@code [k x n]}, or {@code [n x k]} when {@code transB}. Arrays may be longer than needed; only
 * the leading elements are read or written. An instance may keep scratch state: one thread each.
 */
public interface Gemm {

    /**
     * @param transA whether A is stored transposed ({@code [k x m]}).
     * @param transB whether B is stored transposed ({@code [n x k]}).
     * @param m rows of C.
     * @param n columns of C.
     * @param k the contracted dimension.
     * @param alpha scales the product.
     * @param a A.
     * @param b B.
     * @param beta scales the existing C; 0 means C is overwritten (its old contents are ignored).
     * @param c C {@code [m x n]}, updated in place.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
               float beta, float[] c);
}
