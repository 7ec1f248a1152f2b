package org.tribuo.usae.engine;

/**
 * The encoder weight gradient of sparse slots: {@code dW[lat] += scale[lat]·g·input[n]} for every
 * positive slot (ReLU passes gradient only there), {@code rows x slots x d} work instead of a
 * {@code rows x m x d} GEMM.
 */
final class EncoderScatter {
    private EncoderScatter() {
    }

    /**
     * @param codes       slot codes whose {@code grad} holds dL/dvalue (null entries skipped).
     * @param latentScale {@code [m]} factor per latent, or null for 1.
     * @param input       {@code [rows x d]} the encoder input rows.
     * @param dW          {@code [m x d]} accumulates.
     * @param latentSum   {@code [m]} accumulates {@code sum g} per latent (unscaled), or null.
     */
    static void add(SlotCodes[] codes, float[] latentScale, float[] input, int rows, int d, float[] dW,
                    float[] latentSum) {
        int m = dW.length / d;
        // split over latent ranges: each part scans every slot and keeps its latents, so no two threads
        // write one dW row and each row sums in (codes, row, slot) order, as on one thread
        SparsePool.forRange(m, (part, lo, hi) -> {
            for (SlotCodes c : codes) {
                if (c == null) {
                    continue;
                }
                for (int n = 0; n < rows; n++) {
                    int in = n * d;
                    for (int j = 0; j < c.slots; j++) {
                        int q = n * c.slots + j;
                        int lat = c.idx[q];
                        if (lat < lo || lat >= hi || !(c.val[q] > 0f)) {
                            continue;
                        }
                        float g = c.grad[q];
                        if (latentSum != null) {
                            latentSum[lat] += g;
                        }
                        if (latentScale != null) {
                            g *= latentScale[lat];
                        }
                        int row = lat * d;
                        for (int col = 0; col < d; col++) {
                            dW[row + col] += g * input[in + col];
                        }
                    }
                }
            }
        });
    }
}
