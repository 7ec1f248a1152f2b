package org.tribuo.usae.train;

import org.tribuo.usae.data.ModelNames;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Initial parameters. Both schemes draw the encoder as PyTorch's default Linear init
 * (Kaiming-uniform with a = sqrt(5), i.e. U(+-1/sqrt(d)) for weight and bias).
 * <ul>
 *   <li>official USAE: dictionary ~ N(0, 1) (raw; normalised on every forward), BN gamma = 1, beta = 0;</li>
 *   <li>tied (SPARC): encoder bias 0, dictionary = the encoder weight with unit-norm rows
 *       ({@code dec.weight = enc.weight.T}, then unit-normalised columns), pre-bias 0.</li>
 * </ul>
 */
public final class Initializer {
    private Initializer() {
    }

    /**
     * @param arch architecture.
     * @param names model names.
     * @param dims model widths.
     * @param tied SPARC's tied init instead of the official one.
     * @param rng random source.
     * @return fresh parameters (mu = 0, sigma = 1 until standardisation is estimated).
     * @throws org.tribuo.usae.data.ActivationSetException naming the model whose name is empty or not
     *     file-safe ({@link ModelNames}).
     */
    public static UsaeParameters initialize(Architecture arch, List<String> names, int[] dims, boolean tied,
                                            RandomGenerator rng) {
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            // Fail before training rather than write a model file that no reader accepts.
            ModelNames.require(names.get(i), "cannot train model #" + i);
            ModelParameters p = new ModelParameters(names.get(i), dims[i], arch);
            double bound = 1.0 / Math.sqrt(dims[i]);
            fillUniform(p.encoderWeight(), bound, rng);
            if (tied) {
                System.arraycopy(p.encoderWeight(), 0, p.dictionary(), 0, p.dictionary().length);
                float[] unit = p.normalizedDictionary();
                System.arraycopy(unit, 0, p.dictionary(), 0, unit.length);
            } else {
                fillUniform(p.encoderBias(), bound, rng);
                float[] dict = p.dictionary();
                for (int q = 0; q < dict.length; q++) {
                    dict[q] = (float) gaussian(rng);
                }
            }
            models.add(p);
        }
        return new UsaeParameters(arch, models);
    }

    private static void fillUniform(float[] v, double bound, RandomGenerator rng) {
        for (int q = 0; q < v.length; q++) {
            v[q] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }

    /** Box-Muller on a SplitMix64 stream (SplittableRandom or Rng64), so initialisation depends only on the seed. */
    static double gaussian(RandomGenerator rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
