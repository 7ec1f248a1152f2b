package org.tribuo.usae.synth;

/**
 * Settings of {@link PlantedConcepts}.
 *
 * @param dims                    per-model widths d_i, {@code [M]}.
 * @param names                   model names, {@code [M]}.
 * @param sharedConcepts          concepts present in every model.
 * @param privateConceptsPerModel concepts present in one model only, per model.
 * @param activePerRow            shared concepts active in each row (exactly this many, distinct).
 * @param noiseStd                standard deviation of the i.i.d. Gaussian noise added to every element.
 * @param rows                    rows (tokens) to generate.
 * @param seed                    RNG seed; the output is a pure function of the config.
 */
public record PlantedConfig(int[] dims, String[] names, int sharedConcepts, int privateConceptsPerModel,
                            int activePerRow, double noiseStd, long rows, long seed) {
    public PlantedConfig {
        if (dims.length == 0 || dims.length != names.length) {
            throw new IllegalArgumentException("Need as many names as dims (>= 1), got " + names.length
                    + " and " + dims.length);
        }
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dims must be positive");
            }
            if (rows * d > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(rows + " rows x " + d + " do not fit in one float[]");
            }
        }
        if (sharedConcepts <= 0 || privateConceptsPerModel < 0 || rows < 0 || noiseStd < 0) {
            throw new IllegalArgumentException("Need sharedConcepts > 0, privateConceptsPerModel >= 0, rows >= 0, "
                    + "noiseStd >= 0");
        }
        if (activePerRow < 0 || activePerRow > sharedConcepts) {
            throw new IllegalArgumentException("activePerRow must be in [0, sharedConcepts], got " + activePerRow);
        }
        dims = dims.clone();
        names = names.clone();
    }

    /**
     * The demo: three models of widths 48, 32, 64; 32 shared and 8 private concepts each; 3 shared + 1
     * private active per row; noise 0.05; 16384 rows. Small enough to train in seconds on 2 cores.
     *
     * @return the demo config.
     */
    public static PlantedConfig demo() {
        return new PlantedConfig(new int[]{48, 32, 64}, new String[]{"alpha", "beta", "gamma"}, 32, 8, 3, 0.05,
                16384, 42L);
    }

    /** @param rows rows. @return a copy with another row count. */
    public PlantedConfig withRows(long rows) {
        return new PlantedConfig(dims, names, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows,
                seed);
    }

    /** @param seed seed. @return a copy with another seed. */
    public PlantedConfig withSeed(long seed) {
        return new PlantedConfig(dims, names, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows,
                seed);
    }

    /** @return M. */
    public int numModels() {
        return dims.length;
    }
}
