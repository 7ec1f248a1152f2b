package org.tribuo.usae.engine;

import java.util.Random;
import java.util.function.Supplier;

/** Random slot codes with the awkward cases the sparse kernels must keep: padding, zeros, negatives, ties. */
final class SlotCodesFixtures {
    private SlotCodesFixtures() {
    }

    /**
     * Codes {@code [rows x slots]} over m latents: a quarter of the slots are padding (latent 0, value 0), some
     * values are negative (cut by the encoder's ReLU test), latents repeat within and across rows (ties in the
     * counting sort), and -0.0 appears (it must stay a zero slot); gradients are random.
     */
    static SlotCodes random(Random rng, int rows, int slots, int m) {
        int[] idx = new int[rows * slots];
        float[] val = new float[rows * slots];
        float[] grad = new float[rows * slots];
        for (int q = 0; q < idx.length; q++) {
            int kind = rng.nextInt(8);
            if (kind < 2) {
                idx[q] = 0;                      // padding
                val[q] = kind == 0 ? 0f : -0f;
            } else {
                // a narrow latent range half the time, so latents repeat often
                idx[q] = kind < 5 ? rng.nextInt(Math.min(m, 3)) : rng.nextInt(m);
                val[q] = kind == 7 ? -rng.nextFloat() : rng.nextFloat() * 2f;
            }
            grad[q] = (float) rng.nextGaussian();
        }
        return new SlotCodes(rows, slots, idx, val, grad);
    }

    static float[] gaussian(Random rng, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    static SlotCodes copy(SlotCodes c) {
        return new SlotCodes(c.rows, c.slots, c.idx.clone(), c.val.clone(), c.grad.clone());
    }

    /** Runs {@code body} with the sparse pool pinned to {@code parts} parts. */
    static <T> T withParts(int parts, Supplier<T> body) {
        int old = SparsePool.setParts(parts);
        try {
            return body.get();
        } finally {
            SparsePool.setParts(old);
        }
    }
}
