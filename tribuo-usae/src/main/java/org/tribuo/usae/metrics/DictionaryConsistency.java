package org.tribuo.usae.metrics;

import org.tribuo.usae.engine.AutoGemm;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;

import java.util.SplittableRandom;

/**
 * Matches a USAE dictionary to an independently trained SAE dictionary of the same model (docs/metrics.md,
 * "Concepts"): the cosine matrix between the rows, a 1-to-1 assignment maximising the summed cosine
 * ({@link Hungarian}; scipy's {@code linear_sum_assignment} on {@code -cos} in the paper), then the
 * matched cosines per USAE concept and their distribution. The random baseline repeats this with the
 * independent dictionary replaced by i.i.d. Gaussian entries of that dictionary's mean and variance.
 *
 * <p>Cost: the cosine matrix is {@code [n x m2]} float32 (n = concepts compared, m2 = independent
 * concepts): 151 MB and ~58 GFLOP for the paper's 6144 x 6144 x 768, built twice (USAE and random). The
 * assignment is O(n² · m2) worst case (see {@link Hungarian}); measured times are in the README and
 * BENCHMARKS.md.
 */
public final class DictionaryConsistency {
    private DictionaryConsistency() {
    }

    /**
     * @param matchThreshold a pair "matches" when its cosine is {@code > this} (paper: 0.5).
     * @param histogramBins  bins of the histogram over [-1, 1].
     * @param seed           seed of the random baseline dictionary.
     */
    public record Options(double matchThreshold, int histogramBins, long seed) {
        /** Threshold 0.5, 40 bins, seed 12345. */
        public static final Options DEFAULT = new Options(0.5, 40, 12345L);

        public Options {
            if (!(matchThreshold >= -1 && matchThreshold <= 1)) {
                throw new IllegalArgumentException("matchThreshold must be in [-1, 1], got " + matchThreshold);
            }
            if (histogramBins < 1) {
                throw new IllegalArgumentException("histogramBins must be >= 1, got " + histogramBins);
            }
        }
    }

    /**
     * @param model         model name (for the result and messages).
     * @param usae          the USAE decoder dictionary of this model, {@code [m1 x dim]}.
     * @param usaeRows      m1.
     * @param independent   the independent SAE's decoder dictionary, {@code [m2 x dim]}.
     * @param independentRows m2.
     * @param dim           model width d.
     * @param concepts      USAE concept ids to compare ({@code null}: all m1); at most m2 of them.
     * @param options       options.
     * @return matched cosines and their distribution, with the random baseline.
     */
    public static ConsistencyResult compare(String model, float[] usae, int usaeRows, float[] independent,
                                            int independentRows, int dim, int[] concepts, Options options) {
        check(model, "USAE", usae, usaeRows, dim);
        check(model, "independent", independent, independentRows, dim);
        int[] ids = concepts != null ? concepts.clone() : java.util.stream.IntStream.range(0, usaeRows).toArray();
        if (ids.length == 0 || ids.length > independentRows) {
            throw new IllegalArgumentException("Model '" + model + "': " + ids.length + " concepts to match against "
                    + independentRows + " independent concepts; expected 1 to " + independentRows);
        }
        float[] rows = new float[ids.length * dim];
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= usaeRows) {
                throw new IllegalArgumentException("Model '" + model + "': concept " + ids[r] + " outside [0, "
                        + usaeRows + ")");
            }
            System.arraycopy(usae, ids[r] * dim, rows, r * dim, dim);
        }
        Match real = match(rows, ids.length, independent, independentRows, dim);
        float[] random = gaussianLike(independent, independentRows, dim, options.seed());
        Match baseline = match(rows, ids.length, random, independentRows, dim);
        return new ConsistencyResult(model, ids, real.columns, real.cosines,
                CosineDistribution.of(real.cosines, options.matchThreshold(), options.histogramBins()),
                CosineDistribution.of(baseline.cosines, options.matchThreshold(), options.histogramBins()));
    }

    /**
     * Compares every model of a USAE with its independent SAE.
     *
     * @param usae the USAE.
     * @param independent per USAE model (model order), an M = 1 model of the same name and width (e.g.
     *     from {@link org.tribuo.usae.train.IndependentBaselines#train}).
     * @param concepts USAE concept ids to compare ({@code null}: all).
     * @param options options.
     * @return per model, the result.
     */
    public static List<ConsistencyResult> compare(UsaeModel usae, List<UsaeModel> independent, int[] concepts,
                                                  Options options) {
        UsaeParameters p = usae.parameters();
        if (independent.size() != p.numModels()) {
            throw new IllegalArgumentException("Need one independent SAE per USAE model " + p.names() + ", got "
                    + independent.size());
        }
        List<ConsistencyResult> out = new ArrayList<>();
        for (int i = 0; i < p.numModels(); i++) {
            UsaeParameters q = independent.get(i).parameters();
            String name = p.model(i).name();
            if (q.numModels() != 1 || !q.model(0).name().equals(name) || q.model(0).dim() != p.model(i).dim()) {
                throw new IllegalArgumentException("Independent SAE " + i + " must be one model named '" + name
                        + "' of width " + p.model(i).dim() + ", got models " + q.names() + " of widths "
                        + java.util.Arrays.toString(q.dims()));
            }
            out.add(compare(name, Decoders.of(p, i), p.architecture().numLatents(), Decoders.of(q, 0),
                    q.architecture().numLatents(), p.model(i).dim(), concepts, options));
        }
        return out;
    }

    private record Match(int[] columns, double[] cosines) {
    }

    private static Match match(float[] a, int rowsA, float[] b, int rowsB, int dim) {
        float[] cos = cosineMatrix(a, rowsA, b, rowsB, dim);
        int[] cols = Hungarian.assign(cos, rowsA, rowsB, true);
        double[] matched = new double[rowsA];
        for (int r = 0; r < rowsA; r++) {
            matched[r] = cos[r * rowsB + cols[r]];
        }
        return new Match(cols, matched);
    }

    /**
     * @param a {@code [rowsA x dim]}.
     * @param rowsA rows of a.
     * @param b {@code [rowsB x dim]}.
     * @param rowsB rows of b.
     * @param dim width.
     * @return {@code [rowsA x rowsB]} cosines; a zero row has cosine 0 with everything.
     */
    public static float[] cosineMatrix(float[] a, int rowsA, float[] b, int rowsB, int dim) {
        float[] an = unitRows(a, rowsA, dim);
        float[] bn = unitRows(b, rowsB, dim);
        float[] out = new float[Math.multiplyExact(rowsA, rowsB)];
        new AutoGemm().sgemm(false, true, rowsA, rowsB, dim, 1f, an, bn, 0f, out);
        return out;
    }

    private static float[] unitRows(float[] x, int rows, int dim) {
        double[] norms = Decoders.rowNorms(x, rows, dim);
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double inv = norms[r] > 0 ? 1.0 / norms[r] : 0.0;
            for (int c = 0; c < dim; c++) {
                out[r * dim + c] = (float) (x[r * dim + c] * inv);
            }
        }
        return out;
    }

    /**
     * @param like {@code [rows x dim]} the dictionary whose statistics are copied.
     * @param rows rows.
     * @param dim width.
     * @param seed seed.
     * @return {@code [rows x dim]} i.i.d. N(mean, variance) of all entries of {@code like}.
     */
    public static float[] gaussianLike(float[] like, int rows, int dim, long seed) {
        double sum = 0;
        for (float w : like) {
            sum += w;
        }
        double mean = sum / like.length;
        double ss = 0;
        for (float w : like) {
            ss += (w - mean) * (w - mean);
        }
        double std = Math.sqrt(ss / like.length);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[rows * dim];
        for (int q = 0; q < out.length; q++) {
            out[q] = (float) (mean + std * gaussian(rng));
        }
        return out;
    }

    /** Box-Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static void check(String model, String which, float[] dict, int rows, int dim) {
        if (rows < 1 || dim < 1 || (long) rows * dim != dict.length) {
            throw new IllegalArgumentException("Model '" + model + "': the " + which + " dictionary must be [rows x d] = ["
                    + rows + " x " + dim + "], got " + dict.length + " values");
        }
    }
}
