package org.tribuo.usae.engine;

import java.util.Arrays;

/**
 * The encoder weight gradient of slot codes, {@code dW += G^T·input} where G holds the slot gradients
 * at every positive slot (ReLU passes gradient only there). Few slots per row: a scatter,
 * {@code rows x slots x d} work instead of a {@code rows x m x d} GEMM, latent-major
 * ({@link SlotsByLatent}): each dW row takes all its contributions of a block of code rows while it is
 * in L1, split over latent ranges, so no two threads write one row and each row sums in
 * (codes, row, slot) order, as one thread would. Many slots (the official half-aux): G densified by
 * row blocks of at most {@link DenseSlotBlocks#BLOCK_FLOATS}, one GEMM per block.
 */
final class EncoderScatter {
    private EncoderScatter() {
    }

    /**
     * Scatter while the slots are at most 1/{@code SCATTER_RATIO} of the latents per row. The latent-major
     * scatter runs at roughly a tenth of the GEMM's rate, and the dense way also zero-fills and fills
     * {@code rows x m}: measured at the small bench shape (m = 1024, 80 slots), the scatter took the SPARC
     * backward from 79 to 45-47 ms per step.
     */
    static final int SCATTER_RATIO = 8;

    /** @return whether the slots are few enough for the scatter rather than densified blocks and a GEMM. */
    static boolean sparse(SlotCodes[] codes, int m) {
        long slots = 0;
        for (SlotCodes c : codes) {
            slots += c == null ? 0 : c.slots;
        }
        return scatters(slots, m);
    }

    /** @return whether {@code slots} per row (all codes together) are few enough to scatter among m latents. */
    static boolean scatters(long slots, long m) {
        return slots * SCATTER_RATIO <= m;
    }

    /**
     * @param codes  slot codes whose {@code grad} holds dL/dvalue (null entries skipped).
     * @param input  {@code [rows x d]} the encoder input rows.
     * @param dW     {@code [m x d]} accumulates.
     * @param sparse scatter (true) or densified blocks and GEMM (false); see {@link #sparse}.
     * @return {@code [m]} the per-latent sums of the slot gradients (the latent bias gradient of this call), in
     *     (codes, row, slot) order either way; a reused array valid until the next call.
     */
    static float[] add(SlotCodes[] codes, float[] input, int rows, int d, float[] dW, boolean sparse, Gemm gemm,
                       Scratch s, String tag) {
        int m = dW.length / d;
        if (!sparse) {
            dense(codes, input, rows, d, m, dW, gemm, s, tag);
            float[] sums = s.zeroFloats(tag + ".latsum", m);
            for (SlotCodes c : codes) {
                if (c == null) {
                    continue;
                }
                for (int q = 0; q < rows * c.slots; q++) {
                    if (c.val[q] > 0f) {
                        sums[c.idx[q]] += c.grad[q];
                    }
                }
            }
            return sums;
        }
        SlotsByLatent byLatent = SlotsByLatent.forThread();
        float[] latentSums = byLatent.zeroSums(m);
        for (SlotCodes c : codes) {
            if (c == null) {
                continue;
            }
            int block = SlotsByLatent.rowsPerBlock(c.slots);
            for (int first = 0; first < rows; first += block) {
                if (byLatent.build(c, first, Math.min(rows, first + block), m, true).entries() == 0) {
                    continue;
                }
                SparsePool.forRange(m, (part, lo, hi) -> byLatent.scatterAdd(input, d, dW, latentSums, lo, hi));
            }
        }
        return latentSums;
    }

    /** {@code dW += G^T·input} by row blocks: G densified into {@code [block x m]}, then one GEMM per block. */
    private static void dense(SlotCodes[] codes, float[] input, int rows, int d, int m, float[] dW, Gemm gemm, Scratch s,
                              String tag) {
        int block = DenseSlotBlocks.blockRows(rows, m);
        float[] g = s.floats(tag + ".gblock", block * m);
        float[] xb = s.floats(tag + ".xblock", block * d);
        for (int lo = 0; lo < rows; lo += block) {
            int r0 = lo;
            int b = Math.min(block, rows - lo);
            SparsePool.forRange(b, (part, from, to) -> {
                Arrays.fill(g, from * m, to * m, 0f);
                for (SlotCodes c : codes) {
                    if (c == null) {
                        continue;
                    }
                    for (int n = from; n < to; n++) {
                        for (int j = 0; j < c.slots; j++) {
                            int q = (r0 + n) * c.slots + j;
                            if (c.val[q] > 0f) {
                                g[n * m + c.idx[q]] += c.grad[q];
                            }
                        }
                    }
                }
            });
            System.arraycopy(input, lo * d, xb, 0, b * d);
            // a short last block uses the leading b rows of the block buffers
            gemm.sgemm(true, false, m, d, b, 1f, g, xb, 1f, dW);
        }
    }
}
