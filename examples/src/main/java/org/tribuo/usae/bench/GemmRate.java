package org.tribuo.usae.bench;

import org.tribuo.usae.engine.AutoGemm;
import org.tribuo.usae.engine.Gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The SGEMM rate at a shape's encoder product {@code [rows x d] . [m x d]^T} (d the widest model),
 * measured through the same {@link AutoGemm} the CPU engine uses (ND4J/OpenBLAS when it loads), on the
 * same cores and JVM, in the same run as the training cells: the yardstick of each recipe's bound.
 *
 * @param shape   shape name.
 * @param rows    rows (the product's M).
 * @param latents m (N).
 * @param width   d (K).
 * @param repeats timed products.
 * @param gflops  the bound's rate: the larger of the two measurements (what the BLAS reaches here when the shared
 *                machine lets it), GFLOP/s of the median product (2·rows·m·d per product).
 * @param gflopsBefore measured before the shape's training cells.
 * @param gflopsAfter  measured after them (NaN until then).
 */
record GemmRate(String shape, int rows, int latents, int width, int repeats, double gflops, double gflopsBefore,
                double gflopsAfter) {
    /**
     * @param shape the shape, measured again.
     * @return this rate with the second measurement, the larger of the two kept as {@link #gflops}.
     */
    GemmRate remeasured(ThroughputShape shape) {
        double after = measure(shape).gflopsBefore();
        return new GemmRate(this.shape, rows, latents, width, repeats, Math.max(gflopsBefore, after), gflopsBefore, after);
    }

    /** Timed products after one untimed one; the median is kept (the machine may be shared). */
    static final int REPEATS = 5;

    /**
     * @param shape the shape.
     * @return the measured rate.
     */
    static GemmRate measure(ThroughputShape shape) {
        int rows = shape.rows();
        int m = shape.latents();
        int d = Arrays.stream(shape.dims()).max().orElseThrow();
        float[] x = random(Math.multiplyExact(rows, d), 1);
        float[] w = random(Math.multiplyExact(m, d), 2);
        float[] out = new float[Math.multiplyExact(rows, m)];
        Gemm gemm = new AutoGemm();
        gemm.sgemm(false, true, rows, m, d, 1f, x, w, 0f, out);
        double[] seconds = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            long t0 = System.nanoTime();
            gemm.sgemm(false, true, rows, m, d, 1f, x, w, 0f, out);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        double gflops = 2.0 * rows * m * d / seconds[REPEATS / 2] / 1e9;
        return new GemmRate(shape.name(), rows, m, d, REPEATS, gflops, gflops, Double.NaN);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() - 0.5);
        }
        return a;
    }
}
