package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * Decoding by gather and its backward by scatter: {@code out[n] = bias + sum_j val[n,j] * D[idx[n,j]]}
 * touches k rows of the {@code [m x d]} decoder per row instead of a dense {@code [rows x m]} code
 * matrix (k is a few percent of m, so this is the cheap half of the step).
 */
final class SparseDecode {
    private SparseDecode() {
    }

    /**
     * @param codes codes {@code [rows x slots]}.
     * @param decoder {@code [m x d]} decoder rows.
     * @param d output width.
     * @param bias {@code [d]} added to every row, or null.
     * @param out {@code [rows x d]}, overwritten.
     */
    static void decode(SlotCodes codes, float[] decoder, int d, float[] bias, float[] out) {
        // rows are independent: split over rows, same sums per row for any thread count
        SparsePool.forRange(codes.rows, (part, lo, hi) -> decodeRows(codes, decoder, d, bias, out, lo, hi));
    }

    private static void decodeRows(SlotCodes codes, float[] decoder, int d, float[] bias, float[] out, int lo, int hi) {
        int slots = codes.slots;
        for (int n = lo; n < hi; n++) {
            int o = n * d;
            if (bias != null) {
                System.arraycopy(bias, 0, out, o, d);
            } else {
                Arrays.fill(out, o, o + d, 0f);
            }
            for (int j = 0; j < slots; j++) {
                float v = codes.val[n * slots + j];
                if (v == 0f) {
                    continue;
                }
                int row = codes.idx[n * slots + j] * d;
                for (int c = 0; c < d; c++) {
                    out[o + c] += v * decoder[row + c];
                }
            }
        }
    }

    /**
     * Backward of {@link #decode} given dL/dout: adds {@code gOut[n] . D[idx]} to each slot's grad and
     * {@code val * gOut[n]} to the decoder gradient rows idx. Zero-valued slots are skipped: their
     * decoder contribution is 0 and their slot gradient is cut by the ReLU anyway. The slot gradients
     * are split over rows; the decoder gradient over latent ranges (each part scans every slot and
     * keeps its own latents), so no two threads write one row and each row sums in row order.
     *
     * @param codes codes whose {@code grad} accumulates.
     * @param decoder {@code [m x d]}.
     * @param d width.
     * @param gOut {@code [rows x d]} dL/dout.
     * @param dDecoder {@code [m x d]} accumulates dL/ddecoder; null when the dictionary gets no gradient.
     */
    static void backward(SlotCodes codes, float[] decoder, int d, float[] gOut, float[] dDecoder) {
        int slots = codes.slots;
        SparsePool.forRange(codes.rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                int o = n * d;
                for (int j = 0; j < slots; j++) {
                    float v = codes.val[n * slots + j];
                    if (v == 0f) {
                        continue;
                    }
                    int row = codes.idx[n * slots + j] * d;
                    codes.grad[n * slots + j] += dot(gOut, o, decoder, row, d);
                }
            }
        });
        if (dDecoder == null) {
            return;
        }
        SparsePool.forRange(dDecoder.length / d, (part, lo, hi) -> {
            for (int n = 0; n < codes.rows; n++) {
                int o = n * d;
                for (int j = 0; j < slots; j++) {
                    int q = n * slots + j;
                    int lat = codes.idx[q];
                    float v = codes.val[q];
                    if (lat < lo || lat >= hi || v == 0f) {
                        continue;
                    }
                    int row = lat * d;
                    for (int c = 0; c < d; c++) {
                        dDecoder[row + c] += v * gOut[o + c];
                    }
                }
            }
        });
    }

    /**
     * {@code sum_c a[ao + c] * b[bo + c]} for c in {@code [0, n)} with four interleaved partial sums: the JIT
     * does not reorder a float reduction, so a single accumulator runs at one add per add-latency; four
     * independent chains keep the pipeline full. The order is fixed (not thread-dependent).
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

    /**
     * Adds the column sums of {@code g [rows x d]} to {@code dst [d]} (a bias gradient); split over
     * columns, each summed in row order.
     */
    static void addColumnSums(float[] g, int rows, int d, float[] dst) {
        SparsePool.forRange(d, (part, lo, hi) -> {
            for (int n = 0; n < rows; n++) {
                int o = n * d;
                for (int c = lo; c < hi; c++) {
                    dst[c] += g[o + c];
                }
            }
        });
    }
}
