package org.tribuo.usae.sae;

/**
 * A building block: Matryoshka reconstruction (Nabeshima 2024; Bussmann, Nabeshima, Karvonen and Nanda, "Learning
 * Multi-Level Features with Matryoshka Sparse Autoencoders", 2025). The dictionary's latents are ordered into
 * nested prefixes, {@code [0, p_1) ⊂ [0, p_2) ⊂ ... ⊂ [0, m)}, and every reconstruction term is the mean over the
 * prefixes of the criterion on the reconstruction that only the prefix's latents decode (the decoder bias always
 * takes part). The first latents must then reconstruct on their own, so they learn the general concepts and the
 * later ones refine them; in a USAE the prefixes are shared by every model, so the coarse concepts are universal
 * first.
 *
 * <p>With {@code levels} levels the prefixes double: {@code p_j = m / 2^(levels - j)} for {@code j = 1..levels}
 * (the last is m). One level is the plain loss. The engines decode each prefix's residual from the full one by
 * adding back the latents beyond it, and a slot's gradient is the sum of the gradients of the prefixes that hold its
 * latent ({@link #group}).
 */
public final class MatryoshkaPrefixes {
    /** The plain loss: one prefix, the whole dictionary. */
    public static final MatryoshkaPrefixes NONE = new MatryoshkaPrefixes(1);

    private final int levels;

    /** @param levels nested prefixes ({@code >= 1}; 1 is the plain loss). */
    public MatryoshkaPrefixes(int levels) {
        if (levels < 1 || levels > 31) {
            throw new IllegalArgumentException("matryoshkaLevels must be in [1, 31], got " + levels);
        }
        this.levels = levels;
    }

    /** @return the number of prefixes. */
    public int levels() {
        return levels;
    }

    /**
     * @param m latents.
     * @return the prefixes' ends, ascending, the last m.
     * @throws IllegalArgumentException when m is too small for distinct prefixes.
     */
    public int[] ends(int m) {
        if ((long) m < (1L << (levels - 1))) {
            throw new IllegalArgumentException("matryoshkaLevels " + levels + " needs numLatents >= 2^" + (levels - 1)
                    + " = " + (1L << (levels - 1)) + " for distinct prefixes, got " + m);
        }
        int[] ends = new int[levels];
        for (int j = 0; j < levels; j++) {
            ends[j] = m >> (levels - 1 - j);
        }
        return ends;
    }

    /**
     * @param ends {@link #ends(int)}.
     * @param latent a latent.
     * @return the smallest prefix that holds it (its gradient sums the terms of this prefix and every larger one).
     */
    public static int group(int[] ends, int latent) {
        int g = 0;
        while (latent >= ends[g]) {
            g++;
        }
        return g;
    }

    @Override
    public String toString() {
        return "MatryoshkaPrefixes(levels=" + levels + ")";
    }
}
