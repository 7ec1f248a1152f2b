package org.tribuo.usae.engine;

/**
 * Decoding by gather and its backward by scatter: {@code out[n] = bias + sum_j val[n,j] * D[idx[n,j]]}
 * touches k rows of the {@code [m x d]} decoder per row instead of a dense {@code [rows x m]} code
 * matrix (k is a few percent of m, so this is the cheap half of the step).
 *
 * <p>Why the loops look as they do: the slot-order scatter read-modify-wrote a random 3 KB row of a
 * 19 MB gradient per slot (memory-bound), and none of the row loops vectorized (C2 leaves a loop scalar
 * when its store and loads index with different offsets; see {@link StagedRows}). Now the decode adds
 * four decoder rows per pass over a staged, cache-resident output row; the slot gradients take four dots
 * per pass over the gOut row ({@link RowDots}: Vector API when available, else sixteen scalar partial sums);
 * and the decoder-gradient scatter is latent-major ({@link SlotsByLatent}): each {@code [d]} gradient row is
 * staged once and takes all its contributions while in L1. Every output element keeps its float operations
 * and their order, so results equal the one-slot-at-a-time loops (with this JVM's {@link RowDots#dot}) bit
 * for bit. Paper shape, 2 cores: decode phase 2x, backward 1.3-1.5x (scalar kernels).
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
        SparsePool.forRange(codes.rows, (part, lo, hi) -> decodeRows(codes, decoder, d, bias, out, false, lo, hi));
    }

    /**
     * {@code out[n] += sum_j val[n,j] * D[idx[n,j]]}: a decode added to what {@code out} holds (Matryoshka's prefix
     * residuals add back the latents beyond each prefix), in one pass.
     * @param out {@code [rows x d]}, added to.
     */
    static void decodeAdd(SlotCodes codes, float[] decoder, int d, float[] out) {
        SparsePool.forRange(codes.rows, (part, lo, hi) -> decodeRows(codes, decoder, d, null, out, true, lo, hi));
    }

    private static void decodeRows(SlotCodes codes, float[] decoder, int d, float[] bias, float[] out, boolean add,
                                   int lo, int hi) {
        int slots = codes.slots;
        int[] idx = codes.idx;
        float[] val = codes.val;
        StagedRows acc = StagedRows.forThread(d);
        for (int n = lo; n < hi; n++) {
            if (add) {
                acc.load(out, n * d, d);
            } else {
                acc.load(bias, 0, d);
            }
            // non-zero slots in slot order, four per pass: out[c] = (((out[c] + v0*D0[c]) + v1*D1[c]) + ...)
            // is the one-slot-at-a-time sum; zero slots are skipped (adding 0 * D could turn -0 into +0)
            int q = n * slots;
            int end = q + slots;
            while (q < end) {
                int q0 = nextNonZero(val, q, end);
                int q1 = nextNonZero(val, q0 + 1, end);
                int q2 = nextNonZero(val, q1 + 1, end);
                int q3 = nextNonZero(val, q2 + 1, end);
                if (q3 < end) {
                    acc.add4(decoder, d, val[q0], idx[q0] * d, val[q1], idx[q1] * d, val[q2], idx[q2] * d,
                            val[q3], idx[q3] * d);
                    q = q3 + 1;
                    continue;
                }
                // fewer than four left: q0 <= q1 <= q2, those below end are non-zero slots
                if (q0 < end) {
                    acc.add(decoder, d, val[q0], idx[q0] * d);
                }
                if (q1 < end) {
                    acc.add(decoder, d, val[q1], idx[q1] * d);
                }
                if (q2 < end) {
                    acc.add(decoder, d, val[q2], idx[q2] * d);
                }
                q = end;
            }
            acc.store(out, n * d, d);
        }
    }

    /** @return the first q in {@code [from, end)} with a non-zero value, or end ({@code from} may exceed end). */
    private static int nextNonZero(float[] val, int from, int end) {
        int q = from;
        while (q < end && val[q] == 0f) {
            q++;
        }
        return Math.min(q, end);
    }

    /**
     * Backward of {@link #decode} given dL/dout: adds {@code gOut[n] . D[idx]} to each slot's grad and
     * {@code val * gOut[n]} to the decoder gradient rows idx. Zero-valued slots are skipped: their
     * decoder contribution is 0 and their slot gradient is cut by the ReLU anyway. The slot gradients
     * are split over rows; the decoder gradient is grouped by latent ({@link SlotsByLatent}) and split over
     * latent ranges, so no two threads write one row and each row sums in (row, slot) order.
     *
     * @param codes codes whose {@code grad} accumulates.
     * @param decoder {@code [m x d]}.
     * @param d width.
     * @param gOut {@code [rows x d]} dL/dout.
     * @param dDecoder {@code [m x d]} accumulates dL/ddecoder; null when the dictionary gets no gradient.
     */
    static void backward(SlotCodes codes, float[] decoder, int d, float[] gOut, float[] dDecoder) {
        int slots = codes.slots;
        // slot gradients: rows are independent, split over rows
        SparsePool.forRange(codes.rows, (part, lo, hi) -> slotGradients(codes, decoder, d, gOut, lo, hi));
        if (dDecoder == null) {
            return;
        }
        // latent-major, in blocks of code rows: each dDecoder row sums its slots in (row, slot) order
        SlotsByLatent byLatent = SlotsByLatent.forThread();
        int m = dDecoder.length / d;
        int block = SlotsByLatent.rowsPerBlock(slots);
        for (int first = 0; first < codes.rows; first += block) {
            if (byLatent.build(codes, first, Math.min(codes.rows, first + block), m, false).entries() == 0) {
                continue;
            }
            SparsePool.forRange(m, (part, lo, hi) -> byLatent.scatterAdd(gOut, d, dDecoder, null, lo, hi));
        }
    }

    /**
     * The backward when the output gradient depends on the latent's group (Matryoshka: a latent in group g takes
     * the summed gradients of every prefix that holds it): slot gradients and decoder rows read
     * {@code gOutByGroup[group(latent)]}; one pass over the slots and one latent-major scatter, as {@link #backward}.
     *
     * @param gOutByGroup per group {@code [rows x d]}.
     * @param ends        the groups' latent ends ({@link org.tribuo.usae.sae.MatryoshkaPrefixes#ends}).
     */
    static void backwardByGroup(SlotCodes codes, float[] decoder, int d, float[][] gOutByGroup, int[] ends,
                                float[] dDecoder) {
        SparsePool.forRange(codes.rows, (part, lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                for (int q = n * codes.slots; q < (n + 1) * codes.slots; q++) {
                    if (codes.val[q] != 0f) {
                        int lat = codes.idx[q];
                        float[] g = gOutByGroup[org.tribuo.usae.sae.MatryoshkaPrefixes.group(ends, lat)];
                        codes.grad[q] += RowDots.dot(g, n * d, decoder, lat * d, d);
                    }
                }
            }
        });
        if (dDecoder == null) {
            return;
        }
        SlotsByLatent byLatent = SlotsByLatent.forThread();
        int m = dDecoder.length / d;
        int block = SlotsByLatent.rowsPerBlock(codes.slots);
        for (int first = 0; first < codes.rows; first += block) {
            if (byLatent.build(codes, first, Math.min(codes.rows, first + block), m, false).entries() == 0) {
                continue;
            }
            SparsePool.forRange(m, (part, lo, hi) -> {
                for (int g = 0; g < ends.length; g++) {
                    int from = Math.max(lo, g == 0 ? 0 : ends[g - 1]);
                    int to = Math.min(hi, ends[g]);
                    if (from < to) {
                        byLatent.scatterAdd(gOutByGroup[g], d, dDecoder, null, from, to);
                    }
                }
            });
        }
    }

    /**
     * {@code grad += gOut[n] . D[idx]} for the non-zero slots of rows {@code [lo, hi)}, four slots per pass over
     * the gOut row ({@link RowDots}: Vector API or scalar), each slot's sum equal to {@link RowDots#dot}'s.
     */
    private static void slotGradients(SlotCodes codes, float[] decoder, int d, float[] gOut, int lo, int hi) {
        int[] idx = codes.idx;
        float[] val = codes.val;
        float[] grad = codes.grad;
        for (int n = lo; n < hi; n++) {
            int o = n * d;
            int q = n * codes.slots;
            int end = q + codes.slots;
            while (q < end) {
                int q0 = nextNonZero(val, q, end);
                int q1 = nextNonZero(val, q0 + 1, end);
                int q2 = nextNonZero(val, q1 + 1, end);
                int q3 = nextNonZero(val, q2 + 1, end);
                if (q3 < end) {
                    RowDots.addDots4(gOut, o, decoder, d, grad, q0, idx[q0] * d, q1, idx[q1] * d, q2, idx[q2] * d,
                            q3, idx[q3] * d);
                    q = q3 + 1;
                    continue;
                }
                // fewer than four left: q0 <= q1 <= q2, those below end are non-zero slots
                if (q0 < end) {
                    grad[q0] += RowDots.dot(gOut, o, decoder, idx[q0] * d, d);
                }
                if (q1 < end) {
                    grad[q1] += RowDots.dot(gOut, o, decoder, idx[q1] * d, d);
                }
                if (q2 < end) {
                    grad[q2] += RowDots.dot(gOut, o, decoder, idx[q2] * d, d);
                }
                q = end;
            }
        }
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
