package org.tribuo.usae.engine;

/**
 * The slots of a block of code rows grouped by latent (a CSR), for scatter-adds into {@code [m x d]}
 * gradient matrices: latent {@code j}'s entries are {@code [start[j], start[j+1])}, each an input row
 * and a coefficient, in the slots' (row, slot) order (a stable counting sort). A kernel then adds all of
 * a latent's contributions while its destination row is in L1 instead of read-modify-writing a random
 * 3 KB row of a 19 MB matrix per slot, which was memory-bound.
 *
 * <p>One reusable instance per calling thread ({@link #forThread()}): the engine thread builds, the pool's
 * workers only read while the build's owner waits in {@link SparsePool#forRange}. Blocks are at most
 * {@link #MAX_ENTRIES} slots, so the arrays stay bounded whatever the slot count.
 */
final class SlotsByLatent {
    /**
     * Slots per block: 8 MB of (row, coefficient) per calling thread. At the half-aux width (m/2 = 3072
     * slots) a block is 341 rows, whose {@code [rows x 768]} source slab (1 MB) stays in L2 while every
     * latent reads from it; TopK codes (6272 x 32..64 slots) fit in one block.
     */
    static final int MAX_ENTRIES = 1 << 20;

    private static final ThreadLocal<SlotsByLatent> OF_THREAD = ThreadLocal.withInitial(SlotsByLatent::new);

    /** {@code [m + 1]} first entry of each latent; {@code start[m]} is the entry count. */
    private int[] start = new int[1];
    /** {@code [entries]} the row (of the block's codes, absolute) of each entry. */
    private int[] row = new int[0];
    /** {@code [entries]} the coefficient of each entry. */
    private float[] coef = new float[0];
    /** {@code [m]} per-latent coefficient sums of {@link #scatterAdd} (the encoder's bias gradient). */
    private float[] sums = new float[0];
    private int m;

    private SlotsByLatent() {
    }

    /** @return this thread's instance (contents left over from its last build). */
    static SlotsByLatent forThread() {
        return OF_THREAD.get();
    }

    /** @return the number of code rows per block for codes of this many slots (at least 1). */
    static int rowsPerBlock(int slots) {
        return Math.max(1, MAX_ENTRIES / Math.max(1, slots));
    }

    /**
     * Groups the slots of rows {@code [rowLo, rowHi)} by latent. Kept are slots with a non-zero value
     * ({@code positiveOnly} false; coefficient = value: the decoder gradient) or a positive value
     * ({@code positiveOnly} true; coefficient = grad: ReLU passes gradient only there, the encoder gradient).
     *
     * @param codes codes {@code [rows x slots]}, indices in {@code [0, m)}.
     * @param rowLo first row.
     * @param rowHi end row, at most {@code rowLo + rowsPerBlock(codes.slots)}.
     * @param m number of latents.
     * @param positiveOnly which slots are kept and which coefficient they carry (above).
     * @return this.
     */
    SlotsByLatent build(SlotCodes codes, int rowLo, int rowHi, int m, boolean positiveOnly) {
        int slots = codes.slots;
        if ((long) (rowHi - rowLo) * slots > MAX_ENTRIES) {
            throw new IllegalArgumentException("block of rows [" + rowLo + ", " + rowHi + ") x " + slots
                    + " slots exceeds " + MAX_ENTRIES + " entries");
        }
        this.m = m;
        if (start.length < m + 1) {
            start = new int[m + 1];
        }
        java.util.Arrays.fill(start, 0, m + 1, 0);
        int[] idx = codes.idx;
        float[] val = codes.val;
        // count into start[lat + 1], prefix-sum, then place: a stable counting sort
        for (int q = rowLo * slots, end = rowHi * slots; q < end; q++) {
            if (kept(val[q], positiveOnly)) {
                start[idx[q] + 1]++;
            }
        }
        for (int j = 0; j < m; j++) {
            start[j + 1] += start[j];
        }
        int entries = start[m];
        if (row.length < entries) {
            int cap = Math.min(MAX_ENTRIES, Math.max(entries, row.length * 2));
            row = new int[cap];
            coef = new float[cap];
        }
        float[] from = positiveOnly ? codes.grad : val;
        // start[lat] serves as the fill cursor, then is shifted back by one latent
        for (int n = rowLo; n < rowHi; n++) {
            for (int q = n * slots, end = q + slots; q < end; q++) {
                if (kept(val[q], positiveOnly)) {
                    int e = start[idx[q]]++;
                    row[e] = n;
                    coef[e] = from[q];
                }
            }
        }
        System.arraycopy(start, 0, start, 1, m);
        start[0] = 0;
        return this;
    }

    private static boolean kept(float v, boolean positiveOnly) {
        return positiveOnly ? v > 0f : v != 0f;
    }

    /** @return the entry count of the last build. */
    int entries() {
        return start[m];
    }

    /** @return entries of latent {@code lat}: {@code [first(lat), first(lat + 1))}. */
    int first(int lat) {
        return start[lat];
    }

    /** @return the row of entry {@code e}. */
    int row(int e) {
        return row[e];
    }

    /** @return the coefficient of entry {@code e}. */
    float coef(int e) {
        return coef[e];
    }

    /** @return a zero-filled {@code [m]} array for {@link #scatterAdd}'s coefficient sums (reused). */
    float[] zeroSums(int m) {
        if (sums.length < m) {
            sums = new float[m];
        }
        java.util.Arrays.fill(sums, 0, m, 0f);
        return sums;
    }

    /**
     * {@code dst[lat] += sum_e coef[e] * src[row[e]]} over each latent in {@code [latLo, latHi)}, entries
     * in order, four source rows per pass over the destination row ({@link StagedRows}): element c becomes
     * {@code (((dst + g0*s0) + g1*s1) + g2*s2) + g3*s3}, the same float operations in the same order as
     * one entry at a time, so results are bit-identical to the slot-order loop.
     *
     * @param src {@code [rows x d]} source rows.
     * @param d width.
     * @param dst {@code [m x d]} destination, accumulated.
     * @param coefSums {@code [m]} also accumulates each latent's coefficients in entry order, or null.
     * @param latLo first latent.
     * @param latHi end latent.
     */
    void scatterAdd(float[] src, int d, float[] dst, float[] coefSums, int latLo, int latHi) {
        StagedRows rows = StagedRows.forThread(d);
        for (int lat = latLo; lat < latHi; lat++) {
            int e = start[lat];
            int end = start[lat + 1];
            if (e == end) {
                continue;
            }
            int o = lat * d;
            rows.load(dst, o, d);
            for (; e + 3 < end; e += 4) {
                float g0 = coef[e];
                float g1 = coef[e + 1];
                float g2 = coef[e + 2];
                float g3 = coef[e + 3];
                rows.add4(src, d, g0, row[e] * d, g1, row[e + 1] * d, g2, row[e + 2] * d, g3, row[e + 3] * d);
                if (coefSums != null) {
                    coefSums[lat] = (((coefSums[lat] + g0) + g1) + g2) + g3;
                }
            }
            for (; e < end; e++) {
                float g = coef[e];
                rows.add(src, d, g, row[e] * d);
                if (coefSums != null) {
                    coefSums[lat] += g;
                }
            }
            rows.store(dst, o, d);
        }
    }
}
