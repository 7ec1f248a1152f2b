package org.tribuo.usae.metrics;

import org.tribuo.usae.data.ActivationSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The linear ceiling of cross reconstruction (issue 18): for every ordered pair (source i, target j), the
 * ridge least-squares affine map from model i's activations to model j's, fitted on training rows and
 * scored on held-out rows with the same {@link R2Matrix} formulas as {@link ModelEvaluation}. A shared
 * sparse dictionary that routes i through k latents to j is one particular (nonlinear, sparse) map, so
 * its held-out cross R2 is expected to sit below the best linear one; the ratio says how much of what is
 * linearly shared it carries.
 *
 * <p>Units: each model is standardised as the USAE code does, {@code u = (x - mu_i) / sigma_i} with one
 * scalar mean and one std per model, estimated here on the training rows (not the USAE model's own
 * estimates: the ceiling needs no model). The variance-weighted and uniform-average R2 are invariant to
 * any per-model scalar shift and scaling of the target (SSE and SST scale together), and the fitted
 * prediction is equivariant to a scalar scaling of the source (the ridge is relative to the trace, below),
 * so those scores do not depend on this choice; the official formula and MSE use these units.
 *
 * <p>Fit: with {@code Z = [U_1 .. U_M]} centred by the training means ({@code [rows x D]}, D = sum of
 * widths), one streamed pass accumulates {@code G = Z^T Z} ({@code [D x D]}, double). Centring makes the
 * bias exact and unpenalised: {@code W_i = (G_ii + lambda_i I)^-1 G_i*} ({@code [d_i x D]}, all targets at
 * once) and the prediction of target block j is {@code mean_j + (u_i - mean_i) W_ij}. The ridge is
 * {@code lambda_i = relativeRidge * trace(G_ii) / d_i}, a fraction of the mean eigenvalue, so it means the
 * same at any width and scale. The solve is a Cholesky factorisation.
 *
 * <p>Choosing the ridge: plain least squares ({@value #MIN_RELATIVE_RIDGE}, which only keeps the solve
 * defined for dead channels) overfits when tokens are many per image and widths are in the thousands: on
 * the 3-CNN vision set its held-out cross R2 is negative, below what a USAE reaches, so it is no ceiling.
 * With a grid of ridges, {@link #compute(ActivationSet, List, long[][], long, long, double[], double, int)}
 * holds out the tail of the training rows as validation, fits every ridge on the rest, picks per ordered
 * pair the ridge with the best validation variance-weighted R2, then refits on all training rows with it;
 * the evaluated rows are never used to choose.
 *
 * <p>The diagonal (i = j) is computed the same way; it is 1 up to the ridge and serves as a check.
 *
 * <p>Memory: the Gram matrices and the maps hold {@code 3 D^2} doubles (630 MB at D = 5120); each block of
 * {@code batchSize} rows holds {@code 2 batchSize D} doubles.
 */
public final class LinearCeiling {
    /** The smallest ridge: ordinary least squares in practice (see class doc). */
    public static final double MIN_RELATIVE_RIDGE = 1e-6;
    /** Default grid of relative ridges the validation rows choose from. */
    public static final double[] DEFAULT_RIDGE_GRID = {1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
    /** Default fraction of the training rows (their tail) held out to choose the ridge. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private LinearCeiling() {
    }

    /**
     * One fixed ridge for every pair, no validation.
     *
     * @param set           the activations.
     * @param names         models to use, in report order (matched by name in the set).
     * @param fitSpans      training rows as {@code {from, to}} spans, {@code [spans x 2]}; they should not
     *                      overlap the evaluated rows.
     * @param evalFrom      first evaluated row (inclusive).
     * @param evalTo        last evaluated row (exclusive).
     * @param relativeRidge lambda as a fraction of the mean Gram diagonal, {@code > 0}.
     * @param batchSize     rows per streamed block; the official R2 averages per block of this size.
     * @return the ceiling.
     */
    public static LinearCeilingReport compute(ActivationSet set, List<String> names, long[][] fitSpans,
                                              long evalFrom, long evalTo, double relativeRidge, int batchSize) {
        return compute(set, names, fitSpans, evalFrom, evalTo, new double[]{relativeRidge}, 0, batchSize,
                new DoubleGemm(true));
    }

    /**
     * The ridge chosen per ordered pair on validation rows (see class doc); ND4J's DGEMM when it loads.
     *
     * @param set                the activations.
     * @param names              models to use, in report order.
     * @param fitSpans           training rows as {@code {from, to}} spans, {@code [spans x 2]}.
     * @param evalFrom           first evaluated row (inclusive).
     * @param evalTo             last evaluated row (exclusive).
     * @param ridgeGrid          relative ridges to choose from, each {@code > 0}; with one, no validation.
     * @param validationFraction fraction of the training rows (their tail, in span order) that chooses the
     *                           ridge, in (0, 1) when the grid has more than one ridge.
     * @param batchSize          rows per streamed block.
     * @return the ceiling.
     */
    public static LinearCeilingReport compute(ActivationSet set, List<String> names, long[][] fitSpans,
                                              long evalFrom, long evalTo, double[] ridgeGrid,
                                              double validationFraction, int batchSize) {
        return compute(set, names, fitSpans, evalFrom, evalTo, ridgeGrid, validationFraction, batchSize,
                new DoubleGemm(true));
    }

    static LinearCeilingReport compute(ActivationSet set, List<String> names, long[][] fitSpans, long evalFrom,
                                       long evalTo, double[] ridgeGrid, double validationFraction, int batchSize,
                                       DoubleGemm gemm) {
        if (ridgeGrid.length == 0) {
            throw new IllegalArgumentException("The ridge grid is empty");
        }
        for (double r : ridgeGrid) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("relativeRidge must be positive and finite, got " + r);
            }
        }
        boolean validate = ridgeGrid.length > 1;
        if (validate && !(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (evalFrom < 0 || evalTo > set.rows() || evalFrom >= evalTo) {
            throw new IllegalArgumentException("Evaluated rows [" + evalFrom + ", " + evalTo + ") are not inside [0, "
                    + set.rows() + ")");
        }
        long fitRows = 0;
        for (long[] span : fitSpans) {
            if (span.length != 2 || span[0] < 0 || span[1] > set.rows() || span[0] > span[1]) {
                throw new IllegalArgumentException("Training span " + Arrays.toString(span)
                        + " is not inside [0, " + set.rows() + ")");
            }
            fitRows += span[1] - span[0];
        }
        if (fitRows < 2) {
            throw new IllegalArgumentException("The linear ceiling needs at least 2 training rows, got " + fitRows);
        }
        long validationRows = validate ? Math.max(1, Math.round(fitRows * validationFraction)) : 0;
        if (fitRows - validationRows < 2) {
            throw new IllegalArgumentException("The linear ceiling needs at least 2 training rows besides "
                    + validationRows + " validation rows, got " + fitRows);
        }
        long startNanos = System.nanoTime();
        Fit fit = new Fit(set, names, batchSize, gemm, fitSpans, fitRows);
        int numModels = names.size();
        long[][][] split = splitTail(fitSpans, validationRows);
        double[] gram = fit.gram(split[0]);
        double[] validationGram = validate ? fit.gram(split[1]) : null;
        long fitNanos = System.nanoTime() - startNanos;

        // Choose per ordered pair the ridge whose map, fitted without the validation rows, scores best on them.
        int[][] chosen = new int[numModels][numModels];
        if (validate) {
            double[][] best = new double[numModels][numModels];
            for (double[] row : best) {
                Arrays.fill(row, Double.NEGATIVE_INFINITY);
            }
            for (int g = 0; g < ridgeGrid.length; g++) {
                double[][] maps = new double[numModels][];
                for (int i = 0; i < numModels; i++) {
                    maps[i] = fit.solve(gram, i, ridgeGrid[g]);
                }
                double[][] vw = fit.score(maps, split[1]).build().varianceWeighted();
                for (int i = 0; i < numModels; i++) {
                    for (int j = 0; j < numModels; j++) {
                        if (vw[i][j] > best[i][j]) {
                            best[i][j] = vw[i][j];
                            chosen[i][j] = g;
                        }
                    }
                }
            }
            for (int c = 0; c < gram.length; c++) {
                gram[c] += validationGram[c];
            }
            validationGram = null;
        }
        // Refit on all training rows: one solve per (source, chosen ridge), its columns for the targets that chose it.
        double[][] maps = new double[numModels][];
        double[][] ridge = new double[numModels][numModels];
        for (int i = 0; i < numModels; i++) {
            maps[i] = new double[fit.dims[i] * fit.width];
            for (int g = 0; g < ridgeGrid.length; g++) {
                List<Integer> targets = new ArrayList<>();
                for (int j = 0; j < numModels; j++) {
                    if (chosen[i][j] == g) {
                        targets.add(j);
                        ridge[i][j] = ridgeGrid[g];
                    }
                }
                if (targets.isEmpty()) {
                    continue;
                }
                double[] solved = fit.solve(gram, i, ridgeGrid[g]);
                for (int r = 0; r < fit.dims[i]; r++) {
                    for (int j : targets) {
                        int at = r * fit.width + fit.offsets[j];
                        System.arraycopy(solved, at, maps[i], at, fit.dims[j]);
                    }
                }
            }
        }
        gram = null;
        long solveNanos = System.nanoTime() - startNanos - fitNanos;
        R2Matrix r2 = fit.score(maps, new long[][]{{evalFrom, evalTo}}).build();
        long evalNanos = System.nanoTime() - startNanos - fitNanos - solveNanos;
        return new LinearCeilingReport(fitRows, validationRows, evalTo - evalFrom, ridge, r2, gemm.isNative(),
                fitNanos / 1e9, solveNanos / 1e9, evalNanos / 1e9);
    }

    /**
     * @param spans {@code {from, to}} spans, {@code [spans x 2]}.
     * @param tail  rows to split off the end, in span order.
     * @return {@code {head spans, tail spans}}.
     */
    static long[][][] splitTail(long[][] spans, long tail) {
        List<long[]> head = new ArrayList<>();
        List<long[]> end = new ArrayList<>();
        long left = tail;
        for (int s = spans.length - 1; s >= 0; s--) {
            long from = spans[s][0];
            long to = spans[s][1];
            long take = Math.min(left, to - from);
            if (take > 0) {
                end.add(0, new long[]{to - take, to});
                left -= take;
            }
            if (to - take > from) {
                head.add(0, new long[]{from, to - take});
            }
        }
        return new long[][][]{head.toArray(long[][]::new), end.toArray(long[][]::new)};
    }

    /** The chosen models, their standardisation (from the training rows) and the streamed passes. */
    private static final class Fit {
        private final ActivationSet set;
        private final int batchSize;
        private final DoubleGemm gemm;
        private final String[] names;
        private final int[] setIndex;
        private final int[] dims;
        /** Column offsets of the models in Z, {@code [M + 1]}. */
        private final int[] offsets;
        private final int width;
        /** Scalar mean and std per model, {@code [M]}. */
        private final double[] mu;
        private final double[] sigma;
        /** Training column means in standardised units, {@code [D]}. */
        private final double[] columnMean;
        private final float[][] buffers;

        Fit(ActivationSet set, List<String> modelNames, int batchSize, DoubleGemm gemm, long[][] fitSpans,
            long fitRows) {
            this.set = set;
            this.batchSize = batchSize;
            this.gemm = gemm;
            int numModels = modelNames.size();
            this.names = modelNames.toArray(String[]::new);
            this.setIndex = new int[numModels];
            this.dims = new int[numModels];
            this.offsets = new int[numModels + 1];
            this.buffers = new float[numModels][];
            for (int i = 0; i < numModels; i++) {
                setIndex[i] = set.indexOf(names[i]);
                dims[i] = set.dim(setIndex[i]);
                offsets[i + 1] = Math.addExact(offsets[i], dims[i]);
                buffers[i] = new float[Math.multiplyExact(batchSize, dims[i])];
            }
            this.width = offsets[numModels];
            this.mu = new double[numModels];
            this.sigma = new double[numModels];
            this.columnMean = new double[width];
            standardisation(fitSpans, fitRows);
        }

        /**
         * Pass 1: per-column sums and sums of squares around the first row (as R2Accumulator does), then
         * the scalar mu/sigma per model and the column means in standardised units.
         */
        private void standardisation(long[][] fitSpans, long fitRows) {
            int numModels = dims.length;
            double[] shift = null;
            double[] sum = new double[width];
            double[] sumSq = new double[width];
            for (long[] span : fitSpans) {
                for (long from = span[0]; from < span[1]; from += batchSize) {
                    int rows = (int) Math.min(batchSize, span[1] - from);
                    float[][] raw = read(from, rows);
                    if (shift == null) {
                        shift = new double[width];
                        for (int i = 0; i < numModels; i++) {
                            for (int c = 0; c < dims[i]; c++) {
                                shift[offsets[i] + c] = raw[i][c];
                            }
                        }
                    }
                    for (int i = 0; i < numModels; i++) {
                        int d = dims[i];
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < d; c++) {
                                double s = raw[i][r * d + c] - shift[offsets[i] + c];
                                sum[offsets[i] + c] += s;
                                sumSq[offsets[i] + c] += s * s;
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < numModels; i++) {
                double sumMeans = 0;
                for (int c = offsets[i]; c < offsets[i + 1]; c++) {
                    sumMeans += shift[c] + sum[c] / fitRows;
                }
                mu[i] = sumMeans / dims[i];
                // total sum of squares around mu = within-column SS + rows * (column mean - mu)^2
                double ss = 0;
                for (int c = offsets[i]; c < offsets[i + 1]; c++) {
                    double mean = shift[c] + sum[c] / fitRows;
                    ss += sumSq[c] - sum[c] * sum[c] / fitRows + fitRows * (mean - mu[i]) * (mean - mu[i]);
                }
                sigma[i] = Math.sqrt(Math.max(ss, 0) / ((double) fitRows * dims[i] - 1));
                if (!(sigma[i] > 0)) {
                    throw new IllegalArgumentException("Model '" + names[i] + "' is constant on the training rows");
                }
                for (int c = offsets[i]; c < offsets[i + 1]; c++) {
                    columnMean[c] = (shift[c] + sum[c] / fitRows - mu[i]) / sigma[i];
                }
            }
        }

        /** @return {@code Z^T Z} over the centred standardised rows of the spans, {@code [D x D]}. */
        double[] gram(long[][] spans) {
            double[] gram = new double[width * width];
            double[] z = new double[batchSize * width];
            for (long[] span : spans) {
                for (long from = span[0]; from < span[1]; from += batchSize) {
                    int rows = (int) Math.min(batchSize, span[1] - from);
                    centred(read(from, rows), rows, z);
                    gemm.gemmAdd(true, width, width, rows, z, z, gram);
                }
            }
            return gram;
        }

        /** @return {@code W_i = (G_ii + lambda_i I)^-1 G_i*}, {@code [d_i x D]}, through {@code A^-1 = L^-T L^-1}. */
        double[] solve(double[] gram, int i, double relativeRidge) {
            int d = dims[i];
            int off = offsets[i];
            double[] a = new double[d * d];
            double trace = 0;
            for (int r = 0; r < d; r++) {
                System.arraycopy(gram, (off + r) * width + off, a, r * d, d);
                trace += a[r * d + r];
            }
            double lambda = relativeRidge * trace / d;
            for (int r = 0; r < d; r++) {
                a[r * d + r] += lambda;
            }
            double[] lowerInverse = new Cholesky(a, d).lowerInverse();
            double[] inverse = new double[d * d];
            gemm.gemmAdd(true, d, d, d, lowerInverse, lowerInverse, inverse);
            double[] rhs = new double[d * width];
            System.arraycopy(gram, off * width, rhs, 0, d * width);
            double[] map = new double[d * width];
            gemm.gemmAdd(false, d, width, d, inverse, rhs, map);
            return map;
        }

        /** Predicts every target from every source with {@code maps[i]} ({@code [d_i x D]}) on the spans' rows and scores. */
        R2MatrixBuilder score(double[][] maps, long[][] spans) {
            int numModels = dims.length;
            R2MatrixBuilder r2 = new R2MatrixBuilder(names, dims);
            double[] z = new double[batchSize * width];
            double[] prediction = new double[batchSize * width];
            for (long[] span : spans) {
                for (long from = span[0]; from < span[1]; from += batchSize) {
                    int rows = (int) Math.min(batchSize, span[1] - from);
                    float[][] raw = read(from, rows);
                    centred(raw, rows, z);
                    double[][] source = new double[numModels][];
                    float[][] target = new float[numModels][];
                    for (int i = 0; i < numModels; i++) {
                        int d = dims[i];
                        source[i] = new double[rows * d];
                        target[i] = new float[rows * d];
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(z, r * width + offsets[i], source[i], r * d, d);
                            for (int c = 0; c < d; c++) {
                                target[i][r * d + c] = (float) ((raw[i][r * d + c] - mu[i]) / sigma[i]);
                            }
                        }
                    }
                    for (int i = 0; i < numModels; i++) {
                        Arrays.fill(prediction, 0, rows * width, 0.0);
                        gemm.gemmAdd(false, rows, width, dims[i], source[i], maps[i], prediction);
                        for (int j = 0; j < numModels; j++) {
                            int d = dims[j];
                            float[] predicted = new float[rows * d];
                            for (int r = 0; r < rows; r++) {
                                for (int c = 0; c < d; c++) {
                                    predicted[r * d + c] = (float) (prediction[r * width + offsets[j] + c]
                                            + columnMean[offsets[j] + c]);
                                }
                            }
                            r2.add(i, j, target[j], predicted, rows);
                        }
                    }
                }
            }
            return r2;
        }

        /** @return rows {@code [from, from + rows)} of every chosen model, {@code [M][rows x d_i]}. */
        private float[][] read(long from, int rows) {
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = from + r;
            }
            float[][] out = new float[dims.length][];
            for (int i = 0; i < dims.length; i++) {
                out[i] = rows * dims[i] == buffers[i].length ? buffers[i] : new float[rows * dims[i]];
                set.readRows(setIndex[i], ids, out[i]);
            }
            return out;
        }

        /** Writes {@code (x - mu_i) / sigma_i - columnMean} into {@code z}, {@code [rows x D]}. */
        private void centred(float[][] raw, int rows, double[] z) {
            for (int i = 0; i < mu.length; i++) {
                int d = dims[i];
                double inv = 1.0 / sigma[i];
                for (int r = 0; r < rows; r++) {
                    int zRow = r * width + offsets[i];
                    for (int c = 0; c < d; c++) {
                        z[zRow + c] = (raw[i][r * d + c] - mu[i]) * inv - columnMean[offsets[i] + c];
                    }
                }
            }
        }
    }
}
