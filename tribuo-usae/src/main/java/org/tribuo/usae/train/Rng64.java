package org.tribuo.usae.train;

import java.util.random.RandomGenerator;

/**
 * A SplitMix64 generator whose whole state (seed, gamma) can be read and restored, so training
 * checkpoints capture every random stream. It is the algorithm of {@link java.util.SplittableRandom}
 * (Steele, Lea and Flood's SplittableRandom: same mixing functions, gamma derivation and bounded
 * draws), so {@code new Rng64(s)} yields exactly the numbers {@code new SplittableRandom(s)} does, and
 * so do their splits: training is unchanged by using it.
 */
public final class Rng64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private final long gamma;

    /** @param seed the seed; the stream equals {@code new SplittableRandom(seed)}'s. */
    public Rng64(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng64(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /**
     * Restores a generator from {@link #seed()} and {@link #gamma()}.
     * @param seed the state.
     * @param gamma the increment (must be odd).
     * @return the generator.
     */
    public static Rng64 restore(long seed, long gamma) {
        if ((gamma & 1L) == 0) {
            throw new IllegalArgumentException("Rng64 gamma must be odd, got " + gamma);
        }
        return new Rng64(seed, gamma);
    }

    /** @return the current state. */
    public long seed() { return seed; }

    /** @return the increment. */
    public long gamma() { return gamma; }

    /** @return a copy with the same state (the copy and this then produce the same numbers). */
    public Rng64 copy() {
        return new Rng64(seed, gamma);
    }

    /** @return an independent generator, as {@code SplittableRandom.split()}. */
    public Rng64 split() {
        return new Rng64(nextLong(), mixGamma(nextSeed()));
    }

    private long nextSeed() {
        return seed += gamma;
    }

    @Override
    public long nextLong() {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt() {
        return mix32(nextSeed());
    }

    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = nextInt();
        int m = bound - 1;
        if ((bound & m) == 0) {
            r &= m;
        } else {
            for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1) {
                // rejection sampling, as SplittableRandom
            }
        }
        return r;
    }

    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }

    @Override
    public String toString() {
        return "Rng64(seed=" + seed + ", gamma=" + gamma + ")";
    }
}
