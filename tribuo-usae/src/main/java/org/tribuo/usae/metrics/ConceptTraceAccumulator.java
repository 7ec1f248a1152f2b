package org.tribuo.usae.metrics;

import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.List;

/**
 * Accumulates {@link ConceptTrace} over batches of codes and the standardised activations they came from. The
 * activations' mean and covariance, which give each decoder direction's baseline and spread, are taken from the first
 * {@code covarianceRows} rows; the firing sums from every row.
 */
public final class ConceptTraceAccumulator {
    /** Rows the mean and covariance are estimated from by default (the spread's relative error is about 0.5%). */
    public static final int DEFAULT_COVARIANCE_ROWS = 65536;

    private final List<String> names;
    private final int numModels;
    private final int numConcepts;
    private final int[] dims;
    private final float[][] decoders;       // [M][m x d_t]
    private final double threshold;
    private final float floatThreshold;
    private final long covarianceRows;
    private final long[][] fires;           // [M][m]
    private final double[][][] sums;        // [M][M][m]
    private final double[][] moment1;       // [M][d]
    private final double[][] moment2;       // [M][d x d], upper triangle
    private long momentRows;

    /**
     * @param names          model names, {@code [M]}.
     * @param decoders       per model the dictionary its decoder uses, {@code [m x d_i]} (see {@link Decoders#of}).
     * @param dims           widths, {@code [M]}.
     * @param numConcepts    m.
     * @param threshold      τ >= 0: a concept fires when its code is {@code > τ}.
     * @param covarianceRows rows (>= 2) the activations' mean and covariance come from.
     */
    public ConceptTraceAccumulator(List<String> names, float[][] decoders, int[] dims, int numConcepts,
                                   double threshold, int covarianceRows) {
        Decoders.checkAccumulatorArguments(names, decoders, dims, numConcepts, threshold);
        if (covarianceRows < 2) {
            throw new IllegalArgumentException("covarianceRows must be >= 2, got " + covarianceRows);
        }
        this.names = List.copyOf(names);
        this.numModels = names.size();
        this.numConcepts = numConcepts;
        this.dims = dims.clone();
        this.decoders = decoders.clone();
        this.threshold = threshold;
        this.floatThreshold = (float) threshold;
        this.covarianceRows = covarianceRows;
        this.fires = new long[numModels][numConcepts];
        this.sums = new double[numModels][numModels][numConcepts];
        this.moment1 = new double[numModels][];
        this.moment2 = new double[numModels][];
        for (int t = 0; t < numModels; t++) {
            moment1[t] = new double[dims[t]];
            moment2[t] = new double[dims[t] * dims[t]];
        }
    }

    /**
     * @param model     a trained model (its decoders are read).
     * @param threshold τ.
     * @return an empty accumulator with {@link #DEFAULT_COVARIANCE_ROWS}.
     */
    public static ConceptTraceAccumulator forModel(UsaeModel model, double threshold) {
        UsaeParameters p = model.parameters();
        return new ConceptTraceAccumulator(p.names(), Decoders.all(p), p.dims(), p.architecture().numLatents(),
                threshold, DEFAULT_COVARIANCE_ROWS);
    }

    /**
     * Adds one batch.
     *
     * @param standardized per model, {@code [rows x d_i]} standardised activations of the same tokens
     *                     ({@link UsaeModel#standardize}).
     * @param codes        per model, the codes of those tokens ({@code [rows x k_i]}).
     */
    public void add(float[][] standardized, SparseCodes[] codes) {
        if (standardized.length != numModels || codes.length != numModels) {
            throw new IllegalArgumentException("Expected activations and codes of " + numModels + " models " + names
                    + ", got " + standardized.length + " and " + codes.length);
        }
        int rows = codes[0].rows();
        for (int i = 0; i < numModels; i++) {
            if (codes[i].rows() != rows || standardized[i].length != (long) rows * dims[i]) {
                throw new IllegalArgumentException("Model '" + names.get(i) + "': expected " + rows + " rows of codes and ["
                        + rows + " x " + dims[i] + "] activations, got " + codes[i].rows() + " rows and "
                        + standardized[i].length + " values");
            }
        }
        addMoments(standardized, rows);
        for (int s = 0; s < numModels; s++) {
            SparseCodes c = codes[s];
            int k = c.k();
            for (int r = 0; r < rows; r++) {
                for (int q = r * k; q < (r + 1) * k; q++) {
                    if (!(c.values()[q] > floatThreshold)) {
                        continue;
                    }
                    int concept = c.indices()[q];
                    if (concept < 0 || concept >= numConcepts) {
                        throw new IllegalArgumentException("Model '" + names.get(s) + "' has concept index " + concept
                                + " outside [0, " + numConcepts + ")");
                    }
                    fires[s][concept]++;
                    for (int t = 0; t < numModels; t++) {
                        sums[s][t][concept] += dot(standardized[t], r * dims[t], decoders[t], concept * dims[t], dims[t]);
                    }
                }
            }
        }
    }

    private void addMoments(float[][] x, int rows) {
        int take = (int) Math.min(rows, covarianceRows - momentRows);
        for (int t = 0; t < numModels; t++) {
            int d = dims[t];
            double[] m1 = moment1[t];
            double[] m2 = moment2[t];
            for (int r = 0; r < take; r++) {
                int o = r * d;
                for (int a = 0; a < d; a++) {
                    double va = x[t][o + a];
                    m1[a] += va;
                    int row = a * d;
                    for (int b = a; b < d; b++) {
                        m2[row + b] += va * x[t][o + b];
                    }
                }
            }
        }
        momentRows += Math.max(take, 0);
    }

    /** @return the traces of the rows added so far. */
    public ConceptTrace result() {
        double[][] baseline = new double[numModels][numConcepts];
        double[][] spread = new double[numModels][numConcepts];
        if (momentRows >= 2) {
            for (int t = 0; t < numModels; t++) {
                int d = dims[t];
                double[] mean = new double[d];
                for (int a = 0; a < d; a++) {
                    mean[a] = moment1[t][a] / momentRows;
                }
                double[] cov = new double[d * d];
                for (int a = 0; a < d; a++) {
                    for (int b = a; b < d; b++) {
                        double v = moment2[t][a * d + b] / momentRows - mean[a] * mean[b];
                        cov[a * d + b] = v;
                        cov[b * d + a] = v;
                    }
                }
                double[] cu = new double[d];
                for (int k = 0; k < numConcepts; k++) {
                    int o = k * d;
                    double mu = 0;
                    for (int a = 0; a < d; a++) {
                        mu += mean[a] * decoders[t][o + a];
                        double s = 0;
                        for (int b = 0; b < d; b++) {
                            s += cov[a * d + b] * decoders[t][o + b];
                        }
                        cu[a] = s;
                    }
                    double var = 0;
                    for (int a = 0; a < d; a++) {
                        var += decoders[t][o + a] * cu[a];
                    }
                    baseline[t][k] = mu;
                    spread[t][k] = Math.sqrt(Math.max(var, 0));
                }
            }
        }
        long[][] f = new long[numModels][];
        double[][][] s = new double[numModels][numModels][];
        for (int i = 0; i < numModels; i++) {
            f[i] = fires[i].clone();
            for (int t = 0; t < numModels; t++) {
                s[i][t] = sums[i][t].clone();
            }
        }
        return new ConceptTrace(names, numConcepts, threshold, f, s, baseline, spread);
    }

    private static double dot(float[] x, int xo, float[] d, int dOff, int n) {
        double s = 0;
        for (int a = 0; a < n; a++) {
            s += (double) x[xo + a] * d[dOff + a];
        }
        return s;
    }
}
