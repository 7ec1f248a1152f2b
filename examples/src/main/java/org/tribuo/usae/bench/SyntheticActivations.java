package org.tribuo.usae.bench;

import org.tribuo.usae.data.InMemoryActivationSet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Standardised synthetic activations held in memory (nothing on disk, so the benchmark measures
 * training, not reading): every value standard normal, float32. Throughput does not depend on the
 * values' meaning, only on their shape; real activations would be standardised to mean 0, std 1 too.
 */
final class SyntheticActivations {
    private SyntheticActivations() {
    }

    /**
     * @param dims widths.
     * @param rows rows per model.
     * @param seed random seed.
     * @return models m0, m1, ... of {@code [rows x dims[i]]} standard-normal values.
     */
    static InMemoryActivationSet standardNormal(int[] dims, int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        float[][] data = new float[dims.length][];
        for (int i = 0; i < dims.length; i++) {
            names.add("m" + i);
            float[] x = new float[Math.multiplyExact(rows, dims[i])];
            for (int t = 0; t < x.length; t += 2) {
                // Box-Muller: two normals per pair of uniforms
                double rad = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
                double angle = 2 * Math.PI * rng.nextDouble();
                x[t] = (float) (rad * Math.cos(angle));
                if (t + 1 < x.length) {
                    x[t + 1] = (float) (rad * Math.sin(angle));
                }
            }
            data[i] = x;
        }
        return new InMemoryActivationSet(names, dims, data);
    }
}
