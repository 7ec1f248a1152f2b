package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * Decoding and its backward for codes too dense to gather (the official half-aux: m/2 slots per row),
 * into every target at once, by row blocks: each block's codes are densified once into a
 * {@code [block x m]} buffer and multiplied with every target's dictionary, so no {@code [rows x m]}
 * matrix is ever held (154 MB each at the paper shape), and the code gradient sums the targets inside
 * the GEMM before the slots read it back once.
 */
final class DenseSlotBlocks {
    /** Floats of one densified block (16 MB): bounds memory, still a large GEMM. */
    static final int BLOCK_FLOATS = 1 << 22;

    private final Gemm gemm;
    private final Scratch s;
    private final int m;

    DenseSlotBlocks(Gemm gemm, Scratch s, int m) {
        this.gemm = gemm;
        this.s = s;
        this.m = m;
    }

    /**
     * {@code out[t] = codes · decoders[t]} for every t whose {@code out[t]} is not null.
     *
     * @param c        codes {@code [rows x slots]}.
     * @param decoders per target {@code [m x d_t]}.
     * @param dims     widths d_t.
     * @param out      per target {@code [rows x d_t]}, overwritten; null entries skipped.
     */
    void decode(SlotCodes c, float[][] decoders, int[] dims, float[][] out) {
        int block = blockRows(c.rows);
        float[] dense = s.floats("blocks.codes", block * m);
        for (int lo = 0; lo < c.rows; lo += block) {
            int b = Math.min(block, c.rows - lo);
            densify(c, lo, b, dense);
            for (int t = 0; t < out.length; t++) {
                if (out[t] == null) {
                    continue;
                }
                int d = dims[t];
                float[] ob = s.floats("blocks.out" + d, block * d);
                // a short last block uses the leading b rows of the block buffers
                gemm.sgemm(false, false, b, d, m, 1f, dense, decoders[t], 0f, ob);
                System.arraycopy(ob, 0, out[t], lo * d, b * d);
            }
        }
    }

    /**
     * Given {@code gOut[t] = dL/dout[t]}, adds {@code sum_t gOut[t] · decoders[t]^T} to {@code c.grad} at the
     * non-zero slots and {@code codes^T · gOut[t]} to {@code dDecoder[t]} (null: a dictionary not updated).
     *
     * @param gOut per target {@code [rows x d_t]}; null entries skipped.
     */
    void backward(SlotCodes c, float[][] decoders, int[] dims, float[][] gOut, float[][] dDecoder) {
        int block = blockRows(c.rows);
        float[] dense = s.floats("blocks.codes", block * m);
        float[] dCodes = s.floats("blocks.dcodes", block * m);
        for (int lo = 0; lo < c.rows; lo += block) {
            int b = Math.min(block, c.rows - lo);
            densify(c, lo, b, dense);
            boolean first = true;
            for (int t = 0; t < gOut.length; t++) {
                if (gOut[t] == null) {
                    continue;
                }
                int d = dims[t];
                float[] gb = s.floats("blocks.out" + d, block * d);
                System.arraycopy(gOut[t], lo * d, gb, 0, b * d);
                if (dDecoder[t] != null) {
                    gemm.sgemm(true, false, m, d, b, 1f, dense, gb, 1f, dDecoder[t]);
                }
                gemm.sgemm(false, true, b, m, d, 1f, gb, decoders[t], first ? 0f : 1f, dCodes);
                first = false;
            }
            if (first) {
                return;
            }
            int r0 = lo;
            SparsePool.forRange(b, (part, from, to) -> {
                for (int n = from; n < to; n++) {
                    for (int j = 0; j < c.slots; j++) {
                        int q = (r0 + n) * c.slots + j;
                        if (c.val[q] != 0f) {   // padding slots share index 0 with value 0: skip, as the gather path
                            c.grad[q] += dCodes[n * m + c.idx[q]];
                        }
                    }
                }
            });
        }
    }

    private int blockRows(int rows) {
        return Math.max(1, Math.min(rows, BLOCK_FLOATS / m));
    }

    /** Rows {@code [lo, lo + b)} of the codes into the leading {@code b} rows of {@code dense [block x m]}. */
    private void densify(SlotCodes c, int lo, int b, float[] dense) {
        SparsePool.forRange(b, (part, from, to) -> {
            Arrays.fill(dense, from * m, to * m, 0f);
            for (int n = from; n < to; n++) {
                for (int j = 0; j < c.slots; j++) {
                    int q = (lo + n) * c.slots + j;
                    dense[n * m + c.idx[q]] += c.val[q];
                }
            }
        });
    }
}
