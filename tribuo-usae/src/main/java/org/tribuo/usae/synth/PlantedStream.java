package org.tribuo.usae.synth;

import java.util.SplittableRandom;

/**
 * A planted-concept activation set of any length that holds no rows: row r is generated on demand,
 * deterministically from (config seed, {@code firstRow + r}), with the same concept directions,
 * scales and offsets as {@link PlantedConcepts#generate} ({@link PlantedConcepts#geometry}). The row
 * distribution is the same as {@code generate}'s (its rows themselves come from another random stream).
 *
 * <p>Why per-row generation rather than a stored pool: a 6M-token run of the benchmark set (288
 * floats a token) would need 6.9 GB, and a pool sampled with replacement repeats rows, so a long run
 * could fit the pool's noise. Generating each row from its id costs O(activePerRow x d + d) per model
 * and row, keeps memory constant, lets every epoch-free run see fresh tokens, and gives any two
 * ranges (e.g. training rows {@code [0, n)} and evaluation rows from {@code 1L << 40}) disjoint data
 * with one geometry. Reading a row twice returns identical values.
 */
public final class PlantedStream extends GeneratedRows {
    private final PlantedGeometry geometry;
    private final PlantedOptions config;

    /**
     * @param geometry directions, scales and offsets ({@link PlantedConcepts#geometry}).
     * @param firstRow id of row 0 of this set (row r is generated as token {@code firstRow + r}).
     * @param rows rows in the set.
     */
    public PlantedStream(PlantedGeometry geometry, long firstRow, long rows) {
        super(geometry.config().names(), geometry.config().dims(), geometry.config().toString(), firstRow, rows);
        this.geometry = geometry;
        this.config = geometry.config();
    }

    /** @param config settings. @param firstRow first token id. @param rows rows. @return a stream set. */
    public static PlantedStream of(PlantedOptions config, long firstRow, long rows) {
        return new PlantedStream(PlantedConcepts.geometry(config), firstRow, rows);
    }

    /** @return the geometry (ground-truth directions for {@link ConceptRecovery}). */
    public PlantedGeometry geometry() {
        return geometry;
    }

    @Override
    public void readRows(int model, long[] rowIds, float[] dst) {
        int d = dim(model);
        if (dst.length < rowIds.length * d) {
            throw new IllegalArgumentException("dst holds " + dst.length + " values, need " + rowIds.length * d);
        }
        int active = config.activePerRow();
        int[] picks = new int[active];
        float[][] shared = geometry.sharedDirections()[model];
        float[][] priv = geometry.privateDirections()[model];
        float scale = (float) geometry.scales()[model];
        float[] offset = geometry.offsets()[model];
        float noise = (float) config.noiseStd();
        for (int n = 0; n < rowIds.length; n++) {
            long id = rowIds[n];
            if (id < 0 || id >= rows) {
                throw new IndexOutOfBoundsException("row " + id + " outside [0, " + rows + ")");
            }
            int base = n * d;
            java.util.Arrays.fill(dst, base, base + d, 0f);
            long token = firstRow + id;
            // Shared part: drawn from the token alone, so every model sees the same concepts and coefficients.
            SplittableRandom rowRng = new SplittableRandom(mix(config.seed() * GOLDEN + mix(token)));
            for (int a = 0; a < active; a++) {
                int c;
                boolean fresh;
                do { // rejection: activePerRow distinct concepts, uniform
                    c = rowRng.nextInt(config.sharedConcepts());
                    fresh = true;
                    for (int b = 0; b < a; b++) {
                        fresh &= picks[b] != c;
                    }
                } while (!fresh);
                picks[a] = c;
                addScaled(dst, base, coefficient(rowRng), shared[c]);
            }
            // Model part: private concept and noise, from the token and the model.
            SplittableRandom modelRng = new SplittableRandom(mix(mix(config.seed() * GOLDEN + mix(token)) + model + 1));
            if (priv.length > 0) {
                int q = modelRng.nextInt(priv.length);
                addScaled(dst, base, coefficient(modelRng), priv[q]);
            }
            if (noise > 0) {
                for (int t = 0; t < d; t += 2) {
                    // Box-Muller, two normals per pair of uniforms
                    double u1 = modelRng.nextDouble();
                    double u2 = modelRng.nextDouble();
                    double rad = Math.sqrt(-2 * Math.log(1 - u1));
                    dst[base + t] += (float) (noise * rad * Math.cos(2 * Math.PI * u2));
                    if (t + 1 < d) {
                        dst[base + t + 1] += (float) (noise * rad * Math.sin(2 * Math.PI * u2));
                    }
                }
            }
            for (int t = 0; t < d; t++) {
                dst[base + t] = scale * dst[base + t] + offset[t];
            }
        }
    }

    private static float coefficient(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return (float) (Math.abs(Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2)) + 0.5);
    }

    private static void addScaled(float[] x, int offset, float coef, float[] dir) {
        for (int t = 0; t < dir.length; t++) {
            x[offset + t] += coef * dir[t];
        }
    }

    @Override
    public String source(int model) {
        return "generated model '" + modelNames().get(model) + "'";
    }
}
