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
 * @param scaleSpread             model i's activations are multiplied by {@code exp(s_i)},
 *                                {@code s_i ~ U(-scaleSpread, scaleSpread)} (0: scale 1, as in the demo).
 * @param offsetNorm              then shifted by a per-model random offset vector of this L2 norm (0: none).
 */
public record PlantedOptions(int[] dims, String[] names, int sharedConcepts, int privateConceptsPerModel,
                            int activePerRow, double noiseStd, long rows, long seed, double scaleSpread,
                            double offsetNorm) {
    public PlantedOptions {
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
        if (!(scaleSpread >= 0) || !(offsetNorm >= 0)) {
            throw new IllegalArgumentException("Need scaleSpread >= 0 and offsetNorm >= 0, got " + scaleSpread
                    + " and " + offsetNorm);
        }
        dims = dims.clone();
        names = names.clone();
    }

    /** Without model-specific scale and offset (scale 1, offset 0). */
    public PlantedOptions(int[] dims, String[] names, int sharedConcepts, int privateConceptsPerModel,
                         int activePerRow, double noiseStd, long rows, long seed) {
        this(dims, names, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows, seed, 0, 0);
    }

    /**
     * The demo: three models of widths 48, 32, 64; 32 shared and 8 private concepts each; 3 shared + 1
     * private active per row; noise 0.05; 16384 rows. Small enough to train in seconds on 2 cores.
     *
     * @return the demo config.
     */
    public static PlantedOptions demo() {
        return new PlantedOptions(new int[]{48, 32, 64}, new String[]{"alpha", "beta", "gamma"}, 32, 8, 3, 0.05,
                16384, 42L);
    }

    /**
     * The recovery benchmark's set: three models of widths 64, 96, 128; 512 shared concepts and 64
     * private concepts per model; 8 shared + 1 private active per row; noise 0.05; each model's
     * activations scaled by its own factor in [e^-1, e^1] and shifted by its own offset vector of norm 2
     * (real networks differ in scale and mean). Rows here (16384) are only for {@link
     * PlantedConcepts#generate}; the benchmark trains on a {@link PlantedStream} of any length.
     *
     * @return the benchmark config.
     */
    public static PlantedOptions benchmark() {
        return new PlantedOptions(new int[]{64, 96, 128}, new String[]{"alpha", "beta", "gamma"}, 512, 64, 8, 0.05,
                16384, 2025L, 1.0, 2.0);
    }

    /** @param rows rows. @return a copy with another row count. */
    public PlantedOptions withRows(long rows) {
        return new PlantedOptions(dims, names, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows,
                seed, scaleSpread, offsetNorm);
    }

    /** @param seed seed. @return a copy with another seed. */
    public PlantedOptions withSeed(long seed) {
        return new PlantedOptions(dims, names, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows,
                seed, scaleSpread, offsetNorm);
    }

    /**
     * @param sharedConcepts shared concepts.
     * @param privateConceptsPerModel private concepts per model.
     * @param activePerRow shared concepts per row.
     * @return a copy with other concept counts (e.g. a smaller benchmark).
     */
    public PlantedOptions withConcepts(int sharedConcepts, int privateConceptsPerModel, int activePerRow) {
        return new PlantedOptions(dims, names, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows,
                seed, scaleSpread, offsetNorm);
    }

    /** @param dims widths, one per model (names are kept or extended). @return a copy with other widths. */
    public PlantedOptions withDims(int[] dims) {
        String[] n = new String[dims.length];
        for (int i = 0; i < dims.length; i++) {
            n[i] = i < names.length ? names[i] : "model" + i;
        }
        return new PlantedOptions(dims, n, sharedConcepts, privateConceptsPerModel, activePerRow, noiseStd, rows,
                seed, scaleSpread, offsetNorm);
    }

    @Override
    public String toString() {
        return "planted(dims=" + java.util.Arrays.toString(dims) + ", names=" + java.util.Arrays.toString(names)
                + ", shared=" + sharedConcepts + ", private=" + privateConceptsPerModel + ", active=" + activePerRow
                + ", noise=" + noiseStd + ", seed=" + seed + ", scaleSpread=" + scaleSpread + ", offsetNorm="
                + offsetNorm + ")";
    }

    /** @return M. */
    public int numModels() {
        return dims.length;
    }
}
