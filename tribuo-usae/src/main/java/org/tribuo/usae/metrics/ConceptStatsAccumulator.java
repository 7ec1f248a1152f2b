package org.tribuo.usae.metrics;

import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * Streams the concept analyses (docs/metrics.md, "Concepts") over an evaluation set, batch by batch, with
 * O(M·m) memory (the official code keeps the dense {@code [tokens x m]} codes of every model).
 *
 * <p>Each {@link #add} call takes, for the same tokens, every model's codes of ITS OWN activations.
 * Per batch it adds, per model i and concept k, the batch energy
 * {@code ||mean_n(z_nk) · D_k||_2 = |mean_n z_nk| · ||D_k||} ({@code overcomplete.metrics.energy_of_codes},
 * not squared), and counts per concept: tokens with {@code z != 0} (raw firing), tokens with {@code z > τ}
 * (fires F_k^(i); compared in float32, as torch compares float32 codes) and tokens where every model has {@code z > τ} (co-fires C_k, a token-level AND).
 * {@link #result()} turns the counts into firing entropy, co-fire proportions and dead concepts
 * ({@link ConceptStats}).
 *
 * <p>Batch averaging follows {@code SAEAnalyzer}: the energy is the unweighted mean of the per-batch
 * energies, so a short last batch weighs as much as a full one. The official code drops the rows of a
 * short last batch instead; choose a batch size that divides the row count for exact parity.
 * Not thread safe.
 */
public final class ConceptStatsAccumulator {
    /** The official analysis threshold τ ({@code ActivationAnalyzer.analyze(threshold=0.1)}). */
    public static final double DEFAULT_THRESHOLD = 0.1;

    private final List<String> names;
    private final int numModels;
    private final int numConcepts;
    private final double threshold;
    // Codes are float32 and so is the official comparison (z > 0.1 in torch compares to 0.1f): a code of
    // exactly 0.1f must not fire although 0.1f > 0.1 in double.
    private final float floatThreshold;
    private final double[][] decoderNorms;
    private final double[][] energySums;
    private final double[] batchSum;
    private final long[][] nonZero;
    private final long[][] fires;
    private final long[] coFires;
    // Token-level AND without a dense row: stamp = last token that touched the concept, count = models so far.
    private final long[] stamp;
    private final int[] count;
    private long token;
    private long rows;
    private long batches;

    /**
     * @param names       model names, {@code [M]}.
     * @param decoders    per model the dictionary its decoder uses, {@code [m x d_i]} (see {@link Decoders#of}).
     * @param dims        widths d_i, {@code [M]}.
     * @param numConcepts m.
     * @param threshold   τ >= 0: a concept fires on a token when its code is {@code > τ}.
     */
    public ConceptStatsAccumulator(List<String> names, float[][] decoders, int[] dims, int numConcepts, double threshold) {
        Decoders.checkAccumulatorArguments(names, decoders, dims, numConcepts, threshold);
        this.names = List.copyOf(names);
        this.numModels = names.size();
        this.numConcepts = numConcepts;
        this.threshold = threshold;
        this.floatThreshold = (float) threshold;
        this.decoderNorms = new double[numModels][];
        for (int i = 0; i < numModels; i++) {
            decoderNorms[i] = Decoders.rowNorms(decoders[i], numConcepts, dims[i]);
        }
        this.energySums = new double[numModels][numConcepts];
        this.batchSum = new double[numConcepts];
        this.nonZero = new long[numModels][numConcepts];
        this.fires = new long[numModels][numConcepts];
        this.coFires = new long[numConcepts];
        this.stamp = new long[numConcepts];
        java.util.Arrays.fill(stamp, -1);
        this.count = new int[numConcepts];
    }

    /**
     * @param model     a trained model (its decoders and m are read).
     * @param threshold τ.
     * @return an empty accumulator for the model's codes, in model order.
     */
    public static ConceptStatsAccumulator forModel(UsaeModel model, double threshold) {
        UsaeParameters p = model.parameters();
        return new ConceptStatsAccumulator(p.names(), Decoders.all(p), p.dims(), p.architecture().numLatents(), threshold);
    }

    /**
     * Adds one batch.
     *
     * @param codes per model, in model order, the codes of the same {@code rows} tokens
     *              ({@code [rows x k_i]} each; a slot with value 0 is empty).
     */
    public void add(SparseCodes[] codes) {
        if (codes.length != numModels) {
            throw new IllegalArgumentException("Expected codes of " + numModels + " models " + names + ", got "
                    + codes.length);
        }
        int batchRows = codes[0].rows();
        for (int i = 0; i < numModels; i++) {
            if (codes[i].rows() != batchRows) {
                throw new IllegalArgumentException("Codes of model '" + names.get(i) + "' have " + codes[i].rows()
                        + " rows, model '" + names.get(0) + "' has " + batchRows + "; expected the same tokens");
            }
            checkIndices(i, codes[i]);
        }
        if (batchRows == 0) {
            return;
        }
        for (int i = 0; i < numModels; i++) {
            addEnergyAndFires(i, codes[i], batchRows);
        }
        addCoFires(codes, batchRows);
        rows += batchRows;
        batches++;
    }

    private void checkIndices(int model, SparseCodes c) {
        int[] idx = c.indices();
        float[] v = c.values();
        for (int t = 0; t < idx.length; t++) {
            if (v[t] != 0f && (idx[t] < 0 || idx[t] >= numConcepts)) {
                throw new IllegalArgumentException("Codes of model '" + names.get(model) + "': concept " + idx[t]
                        + " at slot " + t + " is outside [0, " + numConcepts + ")");
            }
        }
    }

    private void addEnergyAndFires(int model, SparseCodes c, int batchRows) {
        java.util.Arrays.fill(batchSum, 0.0);
        float[] v = c.values();
        int[] idx = c.indices();
        long[] nz = nonZero[model];
        long[] f = fires[model];
        for (int t = 0; t < v.length; t++) {
            float z = v[t];
            if (z == 0f) {
                continue; // empty TopK slot, its index means nothing
            }
            int concept = idx[t];
            batchSum[concept] += z;
            nz[concept]++;
            if (z > floatThreshold) {
                f[concept]++;
            }
        }
        double[] norms = decoderNorms[model];
        double[] energy = energySums[model];
        for (int k = 0; k < numConcepts; k++) {
            // ||mean(z_k) D_k|| = |mean(z_k)| ||D_k||
            energy[k] += Math.abs(batchSum[k] / batchRows) * norms[k];
        }
    }

    private void addCoFires(SparseCodes[] codes, int batchRows) {
        for (int r = 0; r < batchRows; r++) {
            long tok = token++;
            for (int i = 0; i < numModels; i++) {
                SparseCodes c = codes[i];
                int k = c.k();
                float[] v = c.values();
                int[] idx = c.indices();
                for (int t = r * k; t < (r + 1) * k; t++) {
                    if (v[t] > floatThreshold && v[t] != 0f) {
                        int concept = idx[t];
                        if (i == 0) {
                            stamp[concept] = tok;
                            count[concept] = 1;
                        } else if (stamp[concept] == tok && count[concept] == i) {
                            count[concept] = i + 1;
                        }
                    }
                }
            }
            SparseCodes last = codes[numModels - 1];
            int k = last.k();
            for (int t = r * k; t < (r + 1) * k; t++) {
                if (last.values()[t] > floatThreshold && last.values()[t] != 0f) {
                    int concept = last.indices()[t];
                    if (stamp[concept] == tok && count[concept] == numModels) {
                        coFires[concept]++;
                        count[concept] = -1; // a repeated index in one row must not count twice
                    }
                }
            }
        }
    }

    /** @return the statistics of the batches so far. */
    public ConceptStats result() {
        double[][] energy = new double[numModels][numConcepts];
        for (int i = 0; i < numModels; i++) {
            for (int k = 0; k < numConcepts; k++) {
                energy[i][k] = batches == 0 ? 0.0 : energySums[i][k] / batches;
            }
        }
        long[][] nz = new long[numModels][];
        long[][] f = new long[numModels][];
        for (int i = 0; i < numModels; i++) {
            nz[i] = nonZero[i].clone();
            f[i] = fires[i].clone();
        }
        return ConceptStats.of(new ArrayList<>(names), numConcepts, threshold, rows, batches, energy, nz, f,
                coFires.clone());
    }
}
