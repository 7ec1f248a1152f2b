package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * Decoding and its backward for codes too dense to gather (the official half-aux: m/2 slots per row),
 * into every target at once, by row blocks: each block's codes are densified once into a
 * {@code [block x m]} buffer and multiplied with every target's dictionary side by side
 * ({@code [m x sum d_t]}, one GEMM per block), so no {@code [rows x m]} matrix is ever held (154 MB each
 * at the paper shape), the GEMM staging copies the dense block once, not once per target, and the code
 * gradient sums the targets inside the GEMM before the slots read it back once.
 */
final class DenseSlotBlocks {
    /**
     * Floats of one densified block (32 MB): bounds memory; as large as {@link Nd4jGemm} stages in one piece,
     * because every block's GEMM stages the target's whole {@code [m x d]} dictionary again.
     */
    static final int BLOCK_FLOATS = 1 << 23;

    private final Gemm gemm;
    private final Scratch s;
    private final int m;

    DenseSlotBlocks(Gemm gemm, Scratch s, int m) {
        this.gemm = gemm;
        this.s = s;
        this.m = m;
    }

    /**
     * {@code out[t] = codes · decoders[t]} for every t whose {@code out[t]} is not null: one GEMM per block
     * against the targets' dictionaries side by side ({@code [m x sum d_t]}), so the dense block is staged
     * once per block, not once per target.
     *
     * @param c        codes {@code [rows x slots]}.
     * @param decoders per target {@code [m x d_t]}.
     * @param dims     widths d_t.
     * @param out      per target {@code [rows x d_t]}, overwritten; null entries skipped.
     */
    void decode(SlotCodes c, float[][] decoders, int[] dims, float[][] out) {
        int width = stack(decoders, dims, out, "blocks.stack");
        if (width == 0) {
            return;
        }
        float[] stacked = s.floats("blocks.stack", m * width);
        int block = blockRows(c.rows, m);
        float[] dense = s.floats("blocks.codes", block * m);
        float[] ob = s.floats("blocks.wide", block * width);
        for (int lo = 0; lo < c.rows; lo += block) {
            int b = Math.min(block, c.rows - lo);
            densify(c, lo, b, dense);
            // a short last block uses the leading b rows of the block buffers
            gemm.sgemm(false, false, b, width, m, 1f, dense, stacked, 0f, ob);
            int r0 = lo;
            SparsePool.forRange(b, (part, from, to) -> {
                for (int n = from; n < to; n++) {
                    int col = 0;
                    for (int t = 0; t < out.length; t++) {
                        if (out[t] != null) {
                            System.arraycopy(ob, n * width + col, out[t], (r0 + n) * dims[t], dims[t]);
                            col += dims[t];
                        }
                    }
                }
            });
        }
    }

    /**
     * Given {@code gOut[t] = dL/dout[t]}, adds {@code sum_t gOut[t] · decoders[t]^T} to {@code c.grad} at the
     * non-zero slots (one GEMM per block over the targets side by side, so the sum over targets happens in
     * the GEMM) and {@code codes^T · gOut[t]} to {@code dDecoder[t]} (null: a dictionary not updated).
     *
     * @param gOut per target {@code [rows x d_t]}; null entries skipped.
     */
    void backward(SlotCodes c, float[][] decoders, int[] dims, float[][] gOut, float[][] dDecoder) {
        int width = stack(decoders, dims, gOut, "blocks.stack");
        if (width == 0) {
            return;
        }
        float[] stacked = s.floats("blocks.stack", m * width);
        float[][] updated = new float[gOut.length][];
        int updatedWidth = 0;
        for (int t = 0; t < gOut.length; t++) {
            if (gOut[t] != null && dDecoder[t] != null) {
                updated[t] = gOut[t];
                updatedWidth += dims[t];
            }
        }
        float[] dStack = updatedWidth == 0 ? null : s.zeroFloats("blocks.dstack", m * updatedWidth);
        int block = blockRows(c.rows, m);
        float[] dense = s.floats("blocks.codes", block * m);
        float[] dCodes = s.floats("blocks.dcodes", block * m);
        float[] gb = s.floats("blocks.wide", block * width);
        float[] gu = updatedWidth == 0 ? null : s.floats("blocks.wideUpdated", block * updatedWidth);
        for (int lo = 0; lo < c.rows; lo += block) {
            int b = Math.min(block, c.rows - lo);
            densify(c, lo, b, dense);
            gather(gOut, dims, lo, b, width, gb);
            gemm.sgemm(false, true, b, m, width, 1f, gb, stacked, 0f, dCodes);
            if (dStack != null) {
                gather(updated, dims, lo, b, updatedWidth, gu);
                gemm.sgemm(true, false, m, updatedWidth, b, 1f, dense, gu, 1f, dStack);
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
        if (dStack != null) {
            int uw = updatedWidth;
            SparsePool.forRange(m, (part, from, to) -> {
                for (int j = from; j < to; j++) {
                    int col = 0;
                    for (int t = 0; t < updated.length; t++) {
                        if (updated[t] == null) {
                            continue;
                        }
                        int d = dims[t];
                        for (int k = 0; k < d; k++) {
                            dDecoder[t][j * d + k] += dStack[j * uw + col + k];
                        }
                        col += d;
                    }
                }
            });
        }
    }

    /**
     * The dictionaries of the targets with a non-null {@code present[t]}, side by side: {@code [m x width]}
     * in the scratch array {@code key}.
     * @return width, the sum of their d_t (0 when none).
     */
    private int stack(float[][] decoders, int[] dims, float[][] present, String key) {
        int width = 0;
        for (int t = 0; t < present.length; t++) {
            width += present[t] == null ? 0 : dims[t];
        }
        if (width == 0) {
            return 0;
        }
        float[] stacked = s.floats(key, m * width);
        int w = width;
        SparsePool.forRange(m, (part, from, to) -> {
            for (int j = from; j < to; j++) {
                int col = 0;
                for (int t = 0; t < present.length; t++) {
                    if (present[t] != null) {
                        System.arraycopy(decoders[t], j * dims[t], stacked, j * w + col, dims[t]);
                        col += dims[t];
                    }
                }
            }
        });
        return width;
    }

    /** Rows {@code [lo, lo + b)} of the non-null {@code parts[t]} side by side into {@code out [b x width]}. */
    private static void gather(float[][] parts, int[] dims, int lo, int b, int width, float[] out) {
        SparsePool.forRange(b, (part, from, to) -> {
            for (int n = from; n < to; n++) {
                int col = 0;
                for (int t = 0; t < parts.length; t++) {
                    if (parts[t] != null) {
                        System.arraycopy(parts[t], (lo + n) * dims[t], out, n * width + col, dims[t]);
                        col += dims[t];
                    }
                }
            }
        });
    }

    /** @return rows per block: the fewest blocks of at most {@link #BLOCK_FLOATS}, then equal sizes. */
    static int blockRows(int rows, int m) {
        int most = Math.max(1, Math.min(rows, BLOCK_FLOATS / m));
        int blocks = (rows + most - 1) / most;
        return (rows + blocks - 1) / blocks;
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
