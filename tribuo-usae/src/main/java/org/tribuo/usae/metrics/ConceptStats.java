package org.tribuo.usae.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Concept importance and universality of a USAE on an evaluation set (docs/metrics.md, "Concepts"), computed
 * as {@code uni_analysis.py} (SAEAnalyzer, ActivationAnalyzer) does. Every per-concept array is in
 * concept-id order (the official code sorts FE, CFP and IoU by energy; use {@link #energyRank()} for
 * that order). M = number of models, m = number of concepts.
 *
 * <ul>
 *   <li>energy^(i)_k = mean over batches of ||mean_n(z^(i)_nk) · D^(i)_k||_2; with unit decoder rows it is
 *       the mean code value. energyAggregated_k = Σ_i energy^(i)_k ("energies_agg"), the ranking key.</li>
 *   <li>fires |F^(i)_k| = tokens with z^(i)_k > τ; coFires |C_k| = tokens with min_i z^(i)_k > τ.</li>
 *   <li>firing entropy FE_k = −Σ_i p_i log2(p_i + 1e-10) / log2 M with p_i = |F^(i)_k| / (Σ_j |F^(j)_k| + 1e-10);
 *       in [0, 1]; 0 for a concept that never fires. With M = 1 it is 0 (the official formula divides by
 *       log 1 = 0). Clamped into [0, 1]: in double the eps terms leave about -1e-10 where float32 gives 0.</li>
 *   <li>co-fire proportion CFP^(i)_k = |C_k| / (|F^(i)_k| + 1e-10); co-fire "IoU" = |C_k| / (Σ_i |F^(i)_k| + 1e-10)
 *       (the official code's name: the denominator is a sum, not a union).</li>
 *   <li>dead concepts per model: never non-zero (raw) and never > τ.</li>
 * </ul>
 *
 * @param names            model names, {@code [M]}.
 * @param numConcepts      m.
 * @param threshold        τ.
 * @param rows             tokens seen.
 * @param batches          batches seen.
 * @param energy           {@code [M][m]} per-model energy.
 * @param energyAggregated {@code [m]} Σ over models.
 * @param energyRank       {@code [m]} concept ids by decreasing aggregated energy (ties: lower id first).
 * @param nonZeroCounts    {@code [M][m]} tokens with z != 0.
 * @param fireCounts       {@code [M][m]} tokens with z > τ.
 * @param coFireCounts     {@code [m]} tokens where every model has z > τ.
 * @param firingEntropy    {@code [m]} FE_k.
 * @param coFireProportion {@code [M][m]} CFP^(i)_k.
 * @param coFireIou        {@code [m]}.
 * @param deadRaw          {@code [M]} concepts never non-zero.
 * @param deadThreshold    {@code [M]} concepts never > τ.
 */
public record ConceptStats(List<String> names, int numConcepts, double threshold, long rows, long batches,
                           double[][] energy, double[] energyAggregated, int[] energyRank, long[][] nonZeroCounts,
                           long[][] fireCounts, long[] coFireCounts, double[] firingEntropy,
                           double[][] coFireProportion, double[] coFireIou, int[] deadRaw, int[] deadThreshold) {
    /** The official eps in FE, CFP and IoU. */
    public static final double EPS = 1e-10;

    /**
     * Derives FE, CFP, IoU, the ranking and the dead counts from the accumulated counts.
     *
     * @param names       model names.
     * @param numConcepts m.
     * @param threshold   τ.
     * @param rows        tokens.
     * @param batches     batches.
     * @param energy      {@code [M][m]}.
     * @param nonZero     {@code [M][m]}.
     * @param fires       {@code [M][m]}.
     * @param coFires     {@code [m]}.
     * @return the statistics.
     */
    public static ConceptStats of(List<String> names, int numConcepts, double threshold, long rows, long batches,
                                  double[][] energy, long[][] nonZero, long[][] fires, long[] coFires) {
        int models = names.size();
        double[] agg = new double[numConcepts];
        double[] union = new double[numConcepts];
        for (int i = 0; i < models; i++) {
            for (int k = 0; k < numConcepts; k++) {
                agg[k] += energy[i][k];
                union[k] += fires[i][k];
            }
        }
        double[] fe = new double[numConcepts];
        double norm = Math.log(models) / Math.log(2);
        for (int k = 0; k < numConcepts && models > 1; k++) {
            double h = 0;
            for (int i = 0; i < models; i++) {
                double p = fires[i][k] / (union[k] + EPS);
                h -= p * Math.log(p + EPS) / Math.log(2);
            }
            // eps inside the log makes -p log2(p + eps) about -1e-10 for p = 1 in double; float32 (the
            // official dtype) rounds it to 0, so clamp into [0, 1]
            fe[k] = Math.max(0, Math.min(1, h / norm));
        }
        double[][] cfp = new double[models][numConcepts];
        int[] deadRaw = new int[models];
        int[] deadThreshold = new int[models];
        for (int i = 0; i < models; i++) {
            for (int k = 0; k < numConcepts; k++) {
                cfp[i][k] = coFires[k] / (fires[i][k] + EPS);
                deadRaw[i] += nonZero[i][k] == 0 ? 1 : 0;
                deadThreshold[i] += fires[i][k] == 0 ? 1 : 0;
            }
        }
        double[] iou = new double[numConcepts];
        for (int k = 0; k < numConcepts; k++) {
            iou[k] = coFires[k] / (union[k] + EPS);
        }
        int[] rank = rankDescending(agg);
        return new ConceptStats(List.copyOf(names), numConcepts, threshold, rows, batches, energy, agg, rank, nonZero,
                fires, coFires, fe, cfp, iou, deadRaw, deadThreshold);
    }

    /** @param values values. @return indices by decreasing value, ties by lower index. */
    static int[] rankDescending(double[] values) {
        return java.util.stream.IntStream.range(0, values.length).boxed()
                .sorted((a, b) -> {
                    int c = Double.compare(values[b], values[a]);
                    return c != 0 ? c : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue).toArray();
    }

    /** @return M. */
    public int numModels() {
        return names.size();
    }

    /** @param model model index. @return dead concepts (never non-zero) / m. */
    public double deadRawFraction(int model) {
        return (double) deadRaw[model] / numConcepts;
    }

    /** @param model model index. @return dead concepts after τ (never > τ) / m. */
    public double deadThresholdFraction(int model) {
        return (double) deadThreshold[model] / numConcepts;
    }

    /** @param concept k. @return Σ_i |F^(i)_k| (the official "union_fires"). */
    public long totalFires(int concept) {
        long s = 0;
        for (long[] f : fireCounts) {
            s += f[concept];
        }
        return s;
    }

    /** @param model model index. @return mean of CFP^(i)_k over all m concepts (paper §4.3: 0.27-0.34). */
    public double meanCoFireProportion(int model) {
        return Arrays.stream(coFireProportion[model]).average().orElse(Double.NaN);
    }

    /**
     * The co-fire vs importance fit (Fig. 6c): x = co-fires, y = aggregated energy / M.
     *
     * @param minCoFires keep concepts with at least this many co-fires (1: all with any).
     * @return the fit.
     */
    public LogLogFit coFireEnergyFit(long minCoFires) {
        double[] importance = new double[numConcepts];
        for (int k = 0; k < numConcepts; k++) {
            importance[k] = energyAggregated[k] / numModels();
        }
        return LogLogFit.fit(coFireCounts, importance, minCoFires);
    }

    /** @param n how many. @return the n concepts with the most co-fires (ties: lower id first). */
    public int[] topCoFiring(int n) {
        double[] c = new double[numConcepts];
        for (int k = 0; k < numConcepts; k++) {
            c[k] = coFireCounts[k];
        }
        return Arrays.copyOf(rankDescending(c), Math.min(n, numConcepts));
    }
}
