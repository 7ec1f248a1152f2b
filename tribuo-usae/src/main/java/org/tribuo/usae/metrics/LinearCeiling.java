package org.tribuo.usae.metrics;

import org.tribuo.usae.data.ActivationSet;

import java.util.List;

/**
 * The linear ceiling of cross reconstruction (issue 18): for every ordered pair (source i, target j), the
 * ridge least-squares affine map from model i's activations to model j's, fitted on training rows and
 * scored on held-out rows with the same {@link R2Matrix} formulas as {@link ModelEvaluation}. A shared
 * sparse dictionary that routes i through k latents to j is one particular (nonlinear, sparse) map, so
 * its held-out cross R2 is expected to sit below this one's; the ratio says how much of what is
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
 * {@code lambda_i = relativeRidge * trace(G_ii) / d_i}, a fraction of the mean eigenvalue: it keeps the
 * solve defined when a source has dead (constant) channels or more width than rows, and at the default
 * {@value #DEFAULT_RELATIVE_RIDGE} it is far below the spectrum of any direction that carries signal, so
 * this is ordinary least squares in practice. The solve is a Cholesky factorisation.
 *
 * <p>The diagonal (i = j) is computed the same way; it is 1 up to the ridge and serves as a check.
 *
 * <p>Memory: G and the maps W hold {@code 2 D^2} doubles (420 MB at D = 5120); each block of
 * {@code batchSize} rows holds {@code 2 batchSize D} doubles.
 */
public final class LinearCeiling {
    /** Default ridge, relative to the mean diagonal of the source's Gram matrix (see class doc). */
    public static final double DEFAULT_RELATIVE_RIDGE = 1e-6;

    private LinearCeiling() {
    }

    /**
     * Fits on {@code fitSpans} and scores on {@code [evalFrom, evalTo)}, with ND4J's DGEMM when it loads.
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
        return compute(set, names, fitSpans, evalFrom, evalTo, relativeRidge, batchSize, new DoubleGemm(true));
    }

    static LinearCeilingReport compute(ActivationSet set, List<String> names, long[][] fitSpans, long evalFrom,
                                       long evalTo, double relativeRidge, int batchSize, DoubleGemm gemm) {
        if (!(relativeRidge > 0) || Double.isInfinite(relativeRidge)) {
            throw new IllegalArgumentException("relativeRidge must be positive and finite, got " + relativeRidge);
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
                throw new IllegalArgumentException("Training span " + java.util.Arrays.toString(span)
                        + " is not inside [0, " + set.rows() + ")");
            }
            fitRows += span[1] - span[0];
        }
        if (fitRows < 2) {
            throw new IllegalArgumentException("The linear ceiling needs at least 2 training rows, got " + fitRows);
        }
        long startNanos = System.nanoTime();
        int numModels = names.size();
        int[] setIndex = new int[numModels];
        int[] dims = new int[numModels];
        int[] offsets = new int[numModels + 1];
        for (int i = 0; i < numModels; i++) {
            setIndex[i] = set.indexOf(names.get(i));
            dims[i] = set.dim(setIndex[i]);
            offsets[i + 1] = Math.addExact(offsets[i], dims[i]);
        }
        int width = offsets[numModels];
        Blocks blocks = new Blocks(set, setIndex, dims, batchSize);

        // Pass 1: per-column means and sums of squares (around the first row, as R2Accumulator does), then
        // the scalar mu/sigma per model and the column means in standardised units.
        double[] shift = null;
        double[] sum = new double[width];
        double[] sumSq = new double[width];
        for (long[] span : fitSpans) {
            for (long from = span[0]; from < span[1]; from += batchSize) {
                int rows = (int) Math.min(batchSize, span[1] - from);
                float[][] raw = blocks.read(from, rows);
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
        double[] mu = new double[numModels];
        double[] sigma = new double[numModels];
        double[] columnMean = new double[width];
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
                throw new IllegalArgumentException("Model '" + names.get(i) + "' is constant on the training rows");
            }
            for (int c = offsets[i]; c < offsets[i + 1]; c++) {
                columnMean[c] = (shift[c] + sum[c] / fitRows - mu[i]) / sigma[i];
            }
        }
        Standardised units = new Standardised(mu, sigma, columnMean, offsets);

        // Pass 2: G = Z^T Z over the centred standardised training rows.
        double[] gram = new double[width * width];
        double[] z = new double[batchSize * width];
        for (long[] span : fitSpans) {
            for (long from = span[0]; from < span[1]; from += batchSize) {
                int rows = (int) Math.min(batchSize, span[1] - from);
                units.centred(blocks.read(from, rows), rows, z);
                gemm.gemmAdd(true, width, width, rows, z, z, gram);
            }
        }
        long fitNanos = System.nanoTime() - startNanos;

        // Solve: W_i = (G_ii + lambda_i I)^-1 G_i*, through A^-1 = L^-T L^-1.
        double[][] maps = new double[numModels][];
        double[] lambdas = new double[numModels];
        for (int i = 0; i < numModels; i++) {
            int d = dims[i];
            int off = offsets[i];
            double[] a = new double[d * d];
            double trace = 0;
            for (int r = 0; r < d; r++) {
                System.arraycopy(gram, (off + r) * width + off, a, r * d, d);
                trace += a[r * d + r];
            }
            lambdas[i] = relativeRidge * trace / d;
            for (int r = 0; r < d; r++) {
                a[r * d + r] += lambdas[i];
            }
            double[] lowerInverse = new Cholesky(a, d).lowerInverse();
            double[] inverse = new double[d * d];
            gemm.gemmAdd(true, d, d, d, lowerInverse, lowerInverse, inverse);
            double[] rhs = new double[d * width];
            System.arraycopy(gram, off * width, rhs, 0, d * width);
            maps[i] = new double[d * width];
            gemm.gemmAdd(false, d, width, d, inverse, rhs, maps[i]);
        }
        gram = null;
        long solveNanos = System.nanoTime() - startNanos - fitNanos;

        // Pass 3: predict every target from every source on the held-out rows and score.
        String[] labels = names.toArray(String[]::new);
        R2MatrixBuilder r2 = new R2MatrixBuilder(labels, dims);
        double[][] source = new double[numModels][];
        float[][] target = new float[numModels][];
        double[] prediction = new double[batchSize * width];
        for (long from = evalFrom; from < evalTo; from += batchSize) {
            int rows = (int) Math.min(batchSize, evalTo - from);
            float[][] raw = blocks.read(from, rows);
            units.centred(raw, rows, z);
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
                java.util.Arrays.fill(prediction, 0, rows * width, 0.0);
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
        long evalNanos = System.nanoTime() - startNanos - fitNanos - solveNanos;
        return new LinearCeilingReport(fitRows, evalTo - evalFrom, relativeRidge, lambdas, r2.build(),
                gemm.isNative(), fitNanos / 1e9, solveNanos / 1e9, evalNanos / 1e9);
    }

    /** Reads a block of contiguous rows of every chosen model, {@code [M][rows x d_i]}. */
    private static final class Blocks {
        private final ActivationSet set;
        private final int[] setIndex;
        private final int[] dims;
        private final float[][] buffers;

        Blocks(ActivationSet set, int[] setIndex, int[] dims, int batchSize) {
            this.set = set;
            this.setIndex = setIndex;
            this.dims = dims;
            this.buffers = new float[dims.length][];
            for (int i = 0; i < dims.length; i++) {
                buffers[i] = new float[Math.multiplyExact(batchSize, dims[i])];
            }
        }

        float[][] read(long from, int rows) {
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
    }

    /**
     * The standardisation: scalar {@code mu, sigma} per model ({@code [M]}), the training column means in
     * standardised units ({@code [D]}) and the models' column offsets ({@code [M + 1]}).
     */
    private record Standardised(double[] mu, double[] sigma, double[] columnMean, int[] offsets) {
        /** Writes {@code (x - mu_i) / sigma_i - columnMean} into {@code z}, {@code [rows x D]}. */
        void centred(float[][] raw, int rows, double[] z) {
            int width = columnMean.length;
            for (int i = 0; i < mu.length; i++) {
                int d = offsets[i + 1] - offsets[i];
                double m = mu[i];
                double inv = 1.0 / sigma[i];
                for (int r = 0; r < rows; r++) {
                    int zRow = r * width + offsets[i];
                    for (int c = 0; c < d; c++) {
                        z[zRow + c] = (raw[i][r * d + c] - m) * inv - columnMean[offsets[i] + c];
                    }
                }
            }
        }
    }
}
