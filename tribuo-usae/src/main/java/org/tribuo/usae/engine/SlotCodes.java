package org.tribuo.usae.engine;

/**
 * Sparse codes of a block of rows as slots: row n's slot j holds latent {@code idx[n*slots + j]}
 * with value {@code val[...]}, and {@code grad[...]} accumulates dL/dvalue during the backward
 * pass. Slots with value 0 are padding or ReLU cut-offs; they pass no gradient and decode to 0.
 * Arrays are {@code [rows x slots]} and may be scratch buffers of the engine.
 */
final class SlotCodes {
    final int rows;
    final int slots;
    final int[] idx;
    final float[] val;
    final float[] grad;

    SlotCodes(int rows, int slots, int[] idx, float[] val, float[] grad) {
        this.rows = rows;
        this.slots = slots;
        this.idx = idx;
        this.val = val;
        this.grad = grad;
    }

    /** Scratch-backed codes with zeroed values and gradients. */
    static SlotCodes zeros(Scratch s, String tag, int rows, int slots) {
        return new SlotCodes(rows, slots, s.ints(tag + ".idx", rows * slots), s.zeroFloats(tag + ".val", rows * slots),
                s.zeroFloats(tag + ".grad", rows * slots));
    }
}
