package org.tribuo.usae.engine;

/**
 * Decodes slot codes and back-propagates through the decode, choosing per code block between the
 * gather/scatter of {@link SparseDecode} (cost {@code rows x slots x d}) and densified row blocks with
 * GEMMs ({@link DenseSlotBlocks}, cost {@code rows x m x d} at native GEMM speed). TopK codes (k a few
 * percent of m) gather; codes with more than 1/{@link #DENSE_RATIO} of the latents per row (small m, or
 * the official half-aux) go dense.
 */
final class SlotDecoder {
    /** Dense when {@code slots * DENSE_RATIO > m}, i.e. more than 1/16 of the latents per row. */
    static final int DENSE_RATIO = 16;

    private final DenseSlotBlocks blocks;
    private final int m;

    /**
     * @param blocks the step's dense path.
     * @param m latents.
     */
    SlotDecoder(DenseSlotBlocks blocks, int m) {
        this.blocks = blocks;
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
        blocks.decode(c, new float[][]{decoder}, new int[]{d}, new float[][]{out});
        if (bias != null) {
            SparsePool.forRange(c.rows, (part, lo, hi) -> {
                for (int n = lo; n < hi; n++) {
                    for (int col = 0; col < d; col++) {
                        out[n * d + col] += bias[col];
                    }
                }
            });
        }
    }

    /**
     * {@code out += c · decoder}, no bias.
     * @param c codes {@code [rows x slots]}.
     * @param decoder {@code [m x d]}.
     * @param d width.
     * @param out {@code [rows x d]}, added to.
     * @param temp {@code [rows x d]} work space for the dense path.
     */
    void decodeAdd(SlotCodes c, float[] decoder, int d, float[] out, float[] temp) {
        if (!dense(c)) {
            SparseDecode.decodeAdd(c, decoder, d, out);
            return;
        }
        blocks.decode(c, new float[][]{decoder}, new int[]{d}, new float[][]{temp});
        SparsePool.forRange(out.length, (part, lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                out[i] += temp[i];
            }
        });
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
        blocks.backward(c, new float[][]{decoder}, new int[]{d}, new float[][]{gOut}, new float[][]{dDecoder});
    }

    /**
     * As {@link #backward}, with the output gradient of each latent's group ({@link SparseDecode#backwardByGroup});
     * dense codes run one backward per group on {@code groups}, the codes with the other groups' values 0.
     *
     * @param groups      per group, the codes restricted to it (used by the dense path only).
     * @param gOutByGroup per group {@code [rows x d]}.
     * @param ends        the groups' latent ends.
     */
    void backwardByGroup(SlotCodes c, SlotCodes[] groups, float[] decoder, int d, float[][] gOutByGroup, int[] ends,
                         float[] dDecoder) {
        if (!dense(c)) {
            SparseDecode.backwardByGroup(c, decoder, d, gOutByGroup, ends, dDecoder);
            return;
        }
        for (int g = 0; g < groups.length; g++) {
            blocks.backward(groups[g], new float[][]{decoder}, new int[]{d}, new float[][]{gOutByGroup[g]},
                    new float[][]{dDecoder});
        }
    }
}
