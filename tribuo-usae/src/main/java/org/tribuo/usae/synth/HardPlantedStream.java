package org.tribuo.usae.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The hard planted suite as an activation set of any length that holds no rows ({@link HardPlantedOptions}): row r
 * is generated on demand from (seed, {@code firstRow + r}), as {@link PlantedStream} generates the basic suite's.
 *
 * <p>A token's shared concepts and their magnitudes are drawn from the token alone, so every model sees the same
 * ones with the same magnitudes; its exclusive concepts and noise from the token and the model. Model i's row is
 * {@code scale_i * sat_i(sum_c m_c w_c^(i) + noise) + offset_i}, with {@code sat_i(x)_t = s_i tanh(x_t / s_i)}
 * ({@link HardPlantedGeometry}). A magnitude is {@code mean_c exp(magnitudeSpread N(0, 1))}; with
 * {@code scaleChildrenByParent}, a child's is also multiplied by its parent's magnitude over the parent's mean.
 */
public final class HardPlantedStream extends GeneratedRows {
    private final HardPlantedGeometry geometry;
    private final HardPlantedOptions options;

    /**
     * One token's concepts in one model.
     * @param shared         the shared concepts that fire, ascending.
     * @param sharedValues   their magnitudes.
     * @param exclusive      the model's exclusive concepts that fire, ascending.
     * @param exclusiveValues their magnitudes.
     */
    public record TokenConcepts(int[] shared, float[] sharedValues, int[] exclusive, float[] exclusiveValues) {
    }

    /**
     * @param geometry the suite's geometry.
     * @param firstRow id of row 0 of this set.
     * @param rows     rows in the set.
     */
    public HardPlantedStream(HardPlantedGeometry geometry, long firstRow, long rows) {
        super(geometry.options().names(), geometry.options().dims(), geometry.options().toString(), firstRow, rows);
        this.geometry = geometry;
        this.options = geometry.options();
    }

    /** @return the geometry (ground truth for scoring). */
    public HardPlantedGeometry geometry() {
        return geometry;
    }

    @Override
    public void readRows(int model, long[] rowIds, float[] dst) {
        int d = dim(model);
        if (dst.length < rowIds.length * d) {
            throw new IllegalArgumentException("dst holds " + dst.length + " values, need " + rowIds.length * d);
        }
        Draw draw = new Draw(options.sharedConcepts(), options.exclusivePerModel());
        double[] x = new double[d];
        double s = geometry.saturation[model];
        double scale = geometry.modelScale[model];
        float[] offset = geometry.offsets[model];
        double noise = geometry.noise[model];
        for (int n = 0; n < rowIds.length; n++) {
            long id = rowIds[n];
            if (id < 0 || id >= rows) {
                throw new IndexOutOfBoundsException("row " + id + " outside [0, " + rows + ")");
            }
            long token = firstRow + id;
            draw.shared(token);
            SplittableRandom modelRng = draw.exclusive(token, model);
            Arrays.fill(x, 0);
            for (int a = 0; a < draw.sharedCount; a++) {
                add(x, draw.sharedValue[a], geometry.sharedVectors[model][draw.sharedId[a]]);
            }
            for (int a = 0; a < draw.exclusiveCount; a++) {
                add(x, draw.exclusiveValue[a], geometry.exclusiveVectors[model][draw.exclusiveId[a]]);
            }
            if (noise > 0) {
                for (int t = 0; t < d; t++) {
                    x[t] += noise * gaussian(modelRng);
                }
            }
            int base = n * d;
            for (int t = 0; t < d; t++) {
                double y = s == 0 ? x[t] : s * Math.tanh(x[t] / s);
                dst[base + t] = (float) (scale * y + offset[t]);
            }
        }
    }

    /**
     * @param row   a row of this set.
     * @param model a model.
     * @return the concepts that fire in the row's token, for that model.
     */
    public TokenConcepts concepts(long row, int model) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows + ")");
        }
        Draw draw = new Draw(options.sharedConcepts(), options.exclusivePerModel());
        draw.shared(firstRow + row);
        draw.exclusive(firstRow + row, model);
        Sorted shared = sorted(draw.sharedId, draw.sharedValue, draw.sharedCount);
        Sorted exclusive = sorted(draw.exclusiveId, draw.exclusiveValue, draw.exclusiveCount);
        return new TokenConcepts(shared.ids(), shared.values(), exclusive.ids(), exclusive.values());
    }

    private record Sorted(int[] ids, float[] values) {
    }

    private static Sorted sorted(int[] ids, float[] values, int count) {
        Integer[] order = new Integer[count];
        for (int q = 0; q < count; q++) {
            order[q] = q;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(ids[a], ids[b]));
        int[] i = new int[count];
        float[] v = new float[count];
        for (int q = 0; q < count; q++) {
            i[q] = ids[order[q]];
            v[q] = values[order[q]];
        }
        return new Sorted(i, v);
    }

    /** A token's draws; reused across the rows of one call. */
    private final class Draw {
        final int[] sharedId;
        final float[] sharedValue;
        final boolean[] fired;
        int sharedCount;
        final int[] exclusiveId;
        final float[] exclusiveValue;
        int exclusiveCount;

        Draw(int shared, int exclusive) {
            sharedId = new int[shared];
            sharedValue = new float[shared];
            fired = new boolean[shared];
            exclusiveId = new int[exclusive];
            exclusiveValue = new float[exclusive];
        }

        /** Draws the token's shared concepts: parents (and a child), free concepts, then the pairs. */
        void shared(long token) {
            for (int a = 0; a < sharedCount; a++) {
                fired[sharedId[a]] = false;
            }
            sharedCount = 0;
            SplittableRandom rng = new SplittableRandom(mix(options.seed() * GOLDEN + mix(token)));
            double[] rate = geometry.sharedRate;
            double[] mean = geometry.sharedMean;
            int b = options.childrenPerRoot();
            for (int c = 0; c < options.roots(); c++) {
                if (rng.nextDouble() < rate[c]) {
                    float m = magnitude(rng, mean[c]);
                    put(c, m);
                    if (b > 0 && rng.nextDouble() < options.childRate()) {
                        int child = options.firstChild() + c * b + rng.nextInt(b);
                        float own = magnitude(rng, mean[child]);
                        put(child, options.scaleChildrenByParent() ? (float) (own * m / mean[c]) : own);
                    }
                }
            }
            for (int c = options.firstFree(); c < options.sharedConcepts(); c++) {
                if (rng.nextDouble() < rate[c]) {
                    put(c, magnitude(rng, mean[c]));
                }
            }
            for (int[] pair : geometry.pairs) {
                if (fired[pair[0]] && !fired[pair[1]] && rng.nextDouble() < options.pairRate()) {
                    put(pair[1], magnitude(rng, mean[pair[1]]));
                }
            }
        }

        /** Draws the token's exclusive concepts of the model; returns the model's stream (the noise comes next). */
        SplittableRandom exclusive(long token, int model) {
            exclusiveCount = 0;
            SplittableRandom rng = new SplittableRandom(mix(mix(options.seed() * GOLDEN + mix(token)) + model + 1));
            double[] rate = geometry.exclusiveRate[model];
            double[] mean = geometry.exclusiveMean[model];
            for (int q = 0; q < rate.length; q++) {
                if (rng.nextDouble() < rate[q]) {
                    exclusiveId[exclusiveCount] = q;
                    exclusiveValue[exclusiveCount++] = magnitude(rng, mean[q]);
                }
            }
            return rng;
        }

        private void put(int c, float value) {
            fired[c] = true;
            sharedId[sharedCount] = c;
            sharedValue[sharedCount++] = value;
        }
    }

    private float magnitude(SplittableRandom rng, double mean) {
        return (float) (mean * Math.exp(options.magnitudeSpread() * gaussian(rng)));
    }

    /** One standard normal (Box-Muller; the second of the pair is dropped, so each call is self-contained). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void add(double[] x, float coef, float[] dir) {
        for (int t = 0; t < dir.length; t++) {
            x[t] += coef * dir[t];
        }
    }

    @Override
    public String source(int model) {
        return "generated model '" + modelNames().get(model) + "' (hard suite)";
    }
}
