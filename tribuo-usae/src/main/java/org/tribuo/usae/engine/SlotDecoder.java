package org.tribuo.usae.engine;

/**
 * Decodes slot codes and back-propagates through the decode, choosing per code block between the
 * gather/scatter of {@link SparseDecode} (cost {@code rows x slots x d}, scalar Java) and a dense
 * code matrix with GEMMs (cost {@code rows x m x d}, at native GEMM speed). TopK codes (k a few
 * percent of m) gather; the official half-aux codes (m/2 slots) are half dense, where three GEMMs
 * measured over 10x faster than the scatter loops.
 */
final class SlotDecoder {
    /** Dense when {@code slots * DENSE_RATIO > m}, i.e. more than 1/16 of the latents per row. */
    static final int DENSE_RATIO = 16;

    private final Gemm gemm;
    private final Scratch s;
    private final int m;
    /** The codes whose dense matrix the scratch buffer holds, or null; valid for this decoder's step only. */
    private SlotCodes denseHolds;

    /**
     * A decoder for one training step: the dense code matrix of the last codes densified is kept and reused
     * (the half-aux codes decode into every target and back, six uses per source at three models), so codes
     * must not change their indices or values while this decoder is in use.
     */
    SlotDecoder(Gemm gemm, Scratch s, int m) {
        this.gemm = gemm;
        this.s = s;
        this.m = m;
    }

    private boolean dense(SlotCodes c) {
        return (long) c.slots * DENSE_RATIO > m;
    }

    /**
     * @param c codes {@code [rows x slots]}.
     * @param decoder {@code [m x d]}.
     * @param d width.
     * @param bias {@code [d]} or null.
     * @param out {@code [rows x d]}, overwritten.
     */
    void decode(SlotCodes c, float[] decoder, int d, float[] bias, float[] out) {
        if (!dense(c)) {
            SparseDecode.decode(c, decoder, d, bias, out);
            return;
        }
        float[] codes = denseCodes(c);
        if (bias != null) {
            for (int n = 0; n < c.rows; n++) {
                System.arraycopy(bias, 0, out, n * d, d);
            }
        }
        gemm.sgemm(false, false, c.rows, d, m, 1f, codes, decoder, bias != null ? 1f : 0f, out);
    }

    /**
     * Adds dL/dvalue to {@code c.grad} and dL/ddecoder to {@code dDecoder [m x d]} given
     * {@code gOut [rows x d]}; {@code dDecoder} null skips the decoder gradient (a dictionary not updated).
     */
    void backward(SlotCodes c, float[] decoder, int d, float[] gOut, float[] dDecoder) {
        if (!dense(c)) {
            SparseDecode.backward(c, decoder, d, gOut, dDecoder);
            return;
        }
        float[] codes = denseCodes(c);
        if (dDecoder != null) {
            // dDecoder += codes^T [m x rows] . gOut [rows x d]
            gemm.sgemm(true, false, m, d, c.rows, 1f, codes, gOut, 1f, dDecoder);
        }
        // dCodes [rows x m] = gOut [rows x d] . decoder^T [d x m], read back at the slots only
        float[] dCodes = s.floats("dense.dcodes", c.rows * m);
        gemm.sgemm(false, true, c.rows, m, d, 1f, gOut, decoder, 0f, dCodes);
        SparsePool.forRange(c.rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                for (int j = 0; j < c.slots; j++) {
                    int q = n * c.slots + j;
                    if (c.val[q] != 0f) {   // padding slots share index 0 with value 0: skip, as the gather path
                        c.grad[q] += dCodes[n * m + c.idx[q]];
                    }
                }
            }
        });
    }

    /** The {@code [rows x m]} dense code matrix (scratch), rebuilt only when other codes were densified last. */
    private float[] denseCodes(SlotCodes c) {
        if (c == denseHolds) {
            return s.floats("dense.codes", c.rows * m);
        }
        denseHolds = c;
        float[] codes = s.floats("dense.codes", c.rows * m);
        // zero-fill and scatter row by row: split over rows
        SparsePool.forRange(c.rows, (part, lo, hi) -> {
            java.util.Arrays.fill(codes, lo * m, hi * m, 0f);
            for (int n = lo; n < hi; n++) {
                for (int j = 0; j < c.slots; j++) {
                    int q = n * c.slots + j;
                    codes[n * m + c.idx[q]] += c.val[q];
                }
            }
        });
        return codes;
    }
}
