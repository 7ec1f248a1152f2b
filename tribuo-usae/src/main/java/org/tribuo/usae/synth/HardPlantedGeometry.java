package org.tribuo.usae.synth;

import java.util.Random;

/**
 * Everything about a hard planted suite except its rows ({@link HardPlantedOptions}): each concept's rate, mean
 * magnitude and direction in every model, the planted pairs, and each model's coordinate scales, saturation, noise,
 * scale and offset. A pure function of the settings.
 *
 * <p>Shared concept c has a latent vector {@code v_c} (Gaussian, of the widest model's width); model i sees it along
 * {@code w_c^(i) = a_i * normalize(A_i v_c)} with its own Gaussian map {@code A_i} and coordinate scales {@code a_i}
 * (so the models' concept geometries agree only roughly, as real networks'). An exclusive concept is
 * {@code a_i * u} for a random unit {@code u} of its model. The ground-truth direction of a concept in a model is
 * {@code normalize(w)}: the direction its linear part adds along, before the model's saturation.
 */
public final class HardPlantedGeometry {
    private final HardPlantedOptions options;
    final float[][][] sharedVectors;       // [M][S][d_i]   w_c^(i)
    final float[][][] exclusiveVectors;    // [M][E][d_i]
    final double[] sharedRate;             // [S]  parents and free: own rate; children: rate given the parent
    final double[][] exclusiveRate;        // [M][E]
    final double[] sharedMean;             // [S]  mean magnitude
    final double[][] exclusiveMean;        // [M][E]
    final int[][] pairs;                   // [P][2]
    final double[] saturation;             // [M]  s_i (0 = linear)
    final double[] noise;                  // [M]  absolute noise std
    final double[] modelScale;             // [M]
    final float[][] offsets;               // [M][d_i]
    private final double[] coordinateRms;  // [M]  the linear part's expected coordinate rms

    /** @param options the settings. */
    public HardPlantedGeometry(HardPlantedOptions options) {
        this.options = options;
        Random rng = new Random(options.seed());
        int models = options.numModels();
        int shared = options.sharedConcepts();
        int e = options.exclusivePerModel();
        int[] dims = options.dims();
        // rates by a random rank: parents and free concepts share one ranking, children take their parent's
        int ranked = options.roots() + options.freeShared();
        int[] order = permutation(rng, ranked);
        sharedRate = new double[shared];
        sharedMean = new double[shared];
        for (int q = 0; q < ranked; q++) {
            int c = q < options.roots() ? q : options.firstFree() + (q - options.roots());
            sharedRate[c] = rate(order[q]);
            sharedMean[c] = mean(order[q], ranked);
        }
        for (int c = options.firstChild(); c < options.firstFree(); c++) {
            sharedRate[c] = options.childRate() / options.childrenPerRoot();
            sharedMean[c] = sharedMean[parent(c)];
        }
        exclusiveRate = new double[models][e];
        exclusiveMean = new double[models][e];
        for (int i = 0; i < models; i++) {
            int[] o = permutation(rng, e);
            for (int q = 0; q < e; q++) {
                exclusiveRate[i][q] = rate(o[q]);
                exclusiveMean[i][q] = mean(o[q], e);
            }
        }
        // planted pairs among the free concepts: disjoint, drawn by a permutation
        int[] free = permutation(rng, options.freeShared());
        pairs = new int[options.correlatedPairs()][2];
        for (int p = 0; p < pairs.length; p++) {
            pairs[p][0] = options.firstFree() + free[2 * p];
            pairs[p][1] = options.firstFree() + free[2 * p + 1];
        }
        // directions
        int latentDim = java.util.Arrays.stream(dims).max().orElseThrow();
        float[][] latent = new float[shared][];
        for (int c = 0; c < shared; c++) {
            latent[c] = Vectors.gaussian(rng, latentDim);
        }
        sharedVectors = new float[models][shared][];
        exclusiveVectors = new float[models][e][];
        float[][] coordinateScale = new float[models][];
        for (int i = 0; i < models; i++) {
            int d = dims[i];
            float[] map = Vectors.gaussian(rng, d * latentDim);
            coordinateScale[i] = new float[d];
            for (int t = 0; t < d; t++) {
                coordinateScale[i][t] = (float) Math.exp(options.anisotropy() * rng.nextGaussian());
            }
            for (int c = 0; c < shared; c++) {
                float[] direction = Vectors.normalize(Vectors.multiply(map, d, latentDim, latent[c]));
                sharedVectors[i][c] = scaled(direction, coordinateScale[i]);
            }
            for (int q = 0; q < e; q++) {
                exclusiveVectors[i][q] = scaled(Vectors.normalize(Vectors.gaussian(rng, d)), coordinateScale[i]);
            }
        }
        // the linear part's scale, from the marginal rates: sets the saturation and the noise
        double[] marginal = marginalSharedRates();
        double secondMoment = Math.exp(2 * options.magnitudeSpread() * options.magnitudeSpread());   // E[exp(2 s N)]
        coordinateRms = new double[models];
        saturation = new double[models];
        noise = new double[models];
        modelScale = new double[models];
        offsets = new float[models][];
        Random affine = new Random(options.seed() ^ 0x5CA1EDL);
        for (int i = 0; i < models; i++) {
            double energy = 0;
            for (int c = 0; c < shared; c++) {
                energy += marginal[c] * sharedMean[c] * sharedMean[c] * secondMoment * Vectors.squaredNorm(sharedVectors[i][c]);
            }
            for (int q = 0; q < e; q++) {
                energy += exclusiveRate[i][q] * exclusiveMean[i][q] * exclusiveMean[i][q] * secondMoment
                        * Vectors.squaredNorm(exclusiveVectors[i][q]);
            }
            coordinateRms[i] = Math.sqrt(energy / dims[i]);
            saturation[i] = options.nonlinearity() == 0 ? 0 : coordinateRms[i] / options.nonlinearity();
            noise[i] = options.noiseStd() * coordinateRms[i];
            modelScale[i] = Math.exp((affine.nextDouble() * 2 - 1) * options.scaleSpread());
            float[] o = Vectors.gaussian(affine, dims[i]);
            Vectors.normalize(o);
            for (int t = 0; t < o.length; t++) {
                o[t] = (float) (o[t] * options.offsetNorm());
            }
            offsets[i] = o;
        }
    }

    /** @return the settings. */
    public HardPlantedOptions options() {
        return options;
    }

    /** @param child a child's index. @return its parent's index. */
    public int parent(int child) {
        return (child - options.firstChild()) / options.childrenPerRoot();
    }

    /**
     * @return {@code [M][S][d_i]} unit ground-truth directions of the shared concepts (index order: parents,
     *     children, free).
     */
    public float[][][] sharedDirections() {
        return unit(sharedVectors);
    }

    /** @return {@code [M][E][d_i]} unit ground-truth directions of each model's exclusive concepts. */
    public float[][][] exclusiveDirections() {
        return unit(exclusiveVectors);
    }

    /** @return {@code [S]} each shared concept's probability of firing in a token (children and pairs included). */
    public double[] marginalSharedRates() {
        int shared = options.sharedConcepts();
        double[] p = sharedRate.clone();
        for (int c = options.firstChild(); c < options.firstFree(); c++) {
            p[c] = sharedRate[parent(c)] * sharedRate[c];
        }
        for (int[] pair : pairs) {
            p[pair[1]] = p[pair[1]] + (1 - p[pair[1]]) * p[pair[0]] * options.pairRate();
        }
        return java.util.Arrays.copyOf(p, shared);
    }

    /** @return {@code [M][E]} each exclusive concept's probability of firing in a token of its model. */
    public double[][] exclusiveRates() {
        double[][] out = new double[exclusiveRate.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = exclusiveRate[i].clone();
        }
        return out;
    }

    /** @return {@code [M]} each model's linear-part coordinate rms (before saturation, scale and offset). */
    public double[] coordinateRms() {
        return coordinateRms.clone();
    }

    private double rate(int rank) {
        return Math.max(options.minRate(), options.maxRate() * Math.pow(rank + 1, -options.zipfExponent()));
    }

    /** Mean magnitudes fall linearly from 1.5 (the most frequent) to 1.0 (the rarest), as SynthSAEBench's 5 to 4. */
    private static double mean(int rank, int count) {
        return count <= 1 ? 1.5 : 1.5 - 0.5 * rank / (count - 1.0);
    }

    private static int[] permutation(Random rng, int n) {
        int[] p = new int[n];
        for (int q = 0; q < n; q++) {
            p[q] = q;
        }
        for (int q = n - 1; q > 0; q--) {
            int r = rng.nextInt(q + 1);
            int t = p[q];
            p[q] = p[r];
            p[r] = t;
        }
        return p;
    }

    private static float[][][] unit(float[][][] v) {
        float[][][] out = new float[v.length][][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new float[v[i].length][];
            for (int c = 0; c < v[i].length; c++) {
                out[i][c] = Vectors.normalize(v[i][c].clone());
            }
        }
        return out;
    }

    private static float[] scaled(float[] v, float[] scale) {
        for (int t = 0; t < v.length; t++) {
            v[t] *= scale[t];
        }
        return v;
    }
}
