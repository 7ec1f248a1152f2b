package org.tribuo.usae.synth;

import java.util.Arrays;
import java.util.Random;

/**
 * Generates activations of M "models" that share planted concepts.
 * <p>
 * Shared concept c has a latent vector {@code v_c ∈ R^p} (p = sharedConcepts); model i sees it along
 * {@code u_c^(i) = normalize(A_i v_c)} with its own Gaussian map {@code A_i [d_i x p]}. So a concept has a
 * different direction in every model, yet the models' concept geometries agree approximately (random
 * maps roughly preserve inner products), as for real networks. Private concepts are random unit
 * directions of one model.
 * <p>
 * Row r: {@code activePerRow} distinct shared concepts, uniform frequency, each with coefficient
 * {@code |N(0,1)| + 0.5} that is the SAME in every model; plus, per model independently, one private
 * concept (if any) with its own coefficient; plus i.i.d. {@code N(0, noiseStd²)} noise. Coefficients are
 * positive, so the ground-truth codes are non-negative as a TopK-ReLU SAE's are. Finally, with
 * {@link PlantedOptions#scaleSpread()} or {@link PlantedOptions#offsetNorm()} set, model i's row is
 * {@code scale_i * x + offset_i} (as real networks differ in scale and mean).
 */
public final class PlantedConcepts {
    private PlantedConcepts() {
    }

    /** @param config settings. @return the data, a pure function of {@code config}. */
    public static PlantedData generate(PlantedOptions config) {
        Random rng = new Random(config.seed());
        int models = config.numModels();
        int shared = config.sharedConcepts();
        int[] dims = config.dims();
        PlantedGeometry g = directions(config, rng);
        float[][][] sharedDirs = g.sharedDirections();
        float[][][] privateDirs = g.privateDirections();

        int rows = (int) config.rows();
        float[][] x = new float[models][];
        for (int i = 0; i < models; i++) {
            x[i] = new float[rows * dims[i]];
        }
        int[] order = new int[shared];
        for (int c = 0; c < shared; c++) {
            order[c] = c;
        }
        int[] strongest = new int[rows];
        for (int r = 0; r < rows; r++) {
            float strongestCoef = Float.NEGATIVE_INFINITY;
            for (int a = 0; a < config.activePerRow(); a++) {
                // Partial Fisher-Yates: the first activePerRow entries of order are a uniform draw.
                int pick = a + rng.nextInt(shared - a);
                int c = order[pick];
                order[pick] = order[a];
                order[a] = c;
                float coef = coefficient(rng);
                if (coef > strongestCoef) {
                    strongestCoef = coef;
                    strongest[r] = c;
                }
                for (int i = 0; i < models; i++) {
                    addScaled(x[i], r * dims[i], coef, sharedDirs[i][c]);
                }
            }
            for (int i = 0; i < models; i++) {
                if (privateDirs[i].length > 0) {
                    int q = rng.nextInt(privateDirs[i].length);
                    addScaled(x[i], r * dims[i], coefficient(rng), privateDirs[i][q]);
                }
            }
            if (config.noiseStd() > 0) {
                for (int i = 0; i < models; i++) {
                    int base = r * dims[i];
                    for (int t = 0; t < dims[i]; t++) {
                        x[i][base + t] += (float) (config.noiseStd() * rng.nextGaussian());
                    }
                }
            }
        }
        for (int i = 0; i < models; i++) {
            g.scaleAndShift(i, x[i], rows);
        }
        return new PlantedData(config.names(), dims, rows, x, sharedDirs, privateDirs, g.scales(), g.offsets(), strongest);
    }

    /**
     * The concept directions, scales and offsets of a config without any rows: what {@link #generate}
     * and {@link PlantedStream} share.
     *
     * @param config settings.
     * @return the geometry, a pure function of {@code config} (its rows are ignored).
     */
    public static PlantedGeometry geometry(PlantedOptions config) {
        return directions(config, new Random(config.seed()));
    }

    /** Draws the directions from {@code rng} (the demo's sequence); scales and offsets from their own stream. */
    private static PlantedGeometry directions(PlantedOptions config, Random rng) {
        int models = config.numModels();
        int shared = config.sharedConcepts();
        int[] dims = config.dims();
        float[][] latent = new float[shared][];
        for (int c = 0; c < shared; c++) {
            latent[c] = Vectors.gaussian(rng, shared);
        }
        float[][][] sharedDirs = new float[models][shared][];
        float[][][] privateDirs = new float[models][config.privateConceptsPerModel()][];
        for (int i = 0; i < models; i++) {
            float[] map = Vectors.gaussian(rng, dims[i] * shared); // A_i, [d_i x p]
            for (int c = 0; c < shared; c++) {
                sharedDirs[i][c] = Vectors.normalize(Vectors.multiply(map, dims[i], shared, latent[c]));
            }
            for (int q = 0; q < privateDirs[i].length; q++) {
                privateDirs[i][q] = Vectors.normalize(Vectors.gaussian(rng, dims[i]));
            }
        }
        // A separate stream, so configs without scale/offset keep the demo's exact data.
        Random affine = new Random(config.seed() ^ 0x5CA1EDL);
        double[] scales = new double[models];
        float[][] offsets = new float[models][];
        for (int i = 0; i < models; i++) {
            double u = affine.nextDouble() * 2 - 1;
            scales[i] = Math.exp(u * config.scaleSpread());
            float[] o = Vectors.gaussian(affine, dims[i]);
            if (config.offsetNorm() > 0) {
                Vectors.normalize(o);
                for (int t = 0; t < o.length; t++) {
                    o[t] = (float) (o[t] * config.offsetNorm());
                }
            } else {
                Arrays.fill(o, 0f);
            }
            offsets[i] = o;
        }
        return new PlantedGeometry(config, sharedDirs, privateDirs, scales, offsets);
    }

    private static float coefficient(Random rng) {
        return (float) (Math.abs(rng.nextGaussian()) + 0.5);
    }

    private static void addScaled(float[] x, int offset, float coef, float[] dir) {
        for (int t = 0; t < dir.length; t++) {
            x[offset + t] += coef * dir[t];
        }
    }
}
