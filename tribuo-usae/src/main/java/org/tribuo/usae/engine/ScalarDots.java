package org.tribuo.usae.engine;

/**
 * The row dot products of the slot gradients in plain Java: four interleaved partial sums per dot. HotSpot C2
 * (JDK 17) does not reorder a float reduction, so it runs these loops scalar; independent chains at least keep
 * the adds pipelined. The fallback of {@link RowDots} when the Vector API is absent or switched off.
 */
final class ScalarDots {
    private ScalarDots() {
    }

    /**
     * {@code grad[qi] += dot(a, ao, b, bi, n)} for four rows {@code bi} in one pass over {@code a}, each with
     * {@link #dot}'s four partial sums and final pairing (sixteen sums in flight), so each equals {@link #dot}.
     */
    static void addDots4(float[] a, int ao, float[] b, int n, float[] grad, int q0, int b0, int q1, int b1,
                         int q2, int b2, int q3, int b3) {
        float x0 = 0f, x1 = 0f, x2 = 0f, x3 = 0f;
        float y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;
        float z0 = 0f, z1 = 0f, z2 = 0f, z3 = 0f;
        float w0 = 0f, w1 = 0f, w2 = 0f, w3 = 0f;
        int c = 0;
        for (; c + 3 < n; c += 4) {
            float a0 = a[ao + c];
            float a1 = a[ao + c + 1];
            float a2 = a[ao + c + 2];
            float a3 = a[ao + c + 3];
            x0 += a0 * b[b0 + c];
            x1 += a1 * b[b0 + c + 1];
            x2 += a2 * b[b0 + c + 2];
            x3 += a3 * b[b0 + c + 3];
            y0 += a0 * b[b1 + c];
            y1 += a1 * b[b1 + c + 1];
            y2 += a2 * b[b1 + c + 2];
            y3 += a3 * b[b1 + c + 3];
            z0 += a0 * b[b2 + c];
            z1 += a1 * b[b2 + c + 1];
            z2 += a2 * b[b2 + c + 2];
            z3 += a3 * b[b2 + c + 3];
            w0 += a0 * b[b3 + c];
            w1 += a1 * b[b3 + c + 1];
            w2 += a2 * b[b3 + c + 2];
            w3 += a3 * b[b3 + c + 3];
        }
        for (; c < n; c++) {
            float av = a[ao + c];
            x0 += av * b[b0 + c];
            y0 += av * b[b1 + c];
            z0 += av * b[b2 + c];
            w0 += av * b[b3 + c];
        }
        grad[q0] += (x0 + x1) + (x2 + x3);
        grad[q1] += (y0 + y1) + (y2 + y3);
        grad[q2] += (z0 + z1) + (z2 + z3);
        grad[q3] += (w0 + w1) + (w2 + w3);
    }

    /**
     * {@code sum_c a[ao + c] * b[bo + c]} for c in {@code [0, n)}: element c goes to partial sum {@code c % 4}
     * (the tail past the last multiple of four to sum 0), then {@code (s0 + s1) + (s2 + s3)}.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int c = 0;
        for (; c + 3 < n; c += 4) {
            s0 += a[ao + c] * b[bo + c];
            s1 += a[ao + c + 1] * b[bo + c + 1];
            s2 += a[ao + c + 2] * b[bo + c + 2];
            s3 += a[ao + c + 3] * b[bo + c + 3];
        }
        for (; c < n; c++) {
            s0 += a[ao + c] * b[bo + c];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
