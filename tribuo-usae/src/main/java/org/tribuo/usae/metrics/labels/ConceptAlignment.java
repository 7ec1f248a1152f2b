package org.tribuo.usae.metrics.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SPARC's concept alignment (docs/metrics.md, "Labels", {@code t1_jaccard_dead_latents.ipynb}): for each latent l and
 * stream s, the label histogram {@code count[l,s,c]} = number of labelled inputs with {@code z > 0}
 * (all activations, no top-N cut) that carry label c; labels are collapsed to depth d; then
 * {@code J_l} = mean over pairs of streams in which l is active of
 * {@code Σ_b min(count_s,b, count_t,b) / Σ_b max(count_s,b, count_t,b)} (a pair with an all-zero
 * denominator adds 0), and {@code J_l = 0} when l is active in fewer than 2 streams. The score at depth
 * d is the mean of {@code J_l} over ALL latents. Stream s's codes are model s's own codes.
 */
public final class ConceptAlignment {
    /** Mean Jaccard at one depth. @param depth d. @param buckets label buckets at d. @param meanJaccard mean J over all latents. */
    public record DepthJaccard(int depth, int buckets, double meanJaccard) {
    }

    /**
     * @param streams                  stream names.
     * @param numLatents               m.
     * @param labelledInputs           inputs that took part.
     * @param latentsActiveInTwoOrMore latents active in at least 2 streams (the only ones with J > 0).
     * @param depths                   per depth 0..maxDepth.
     */
    public record Result(List<String> streams, int numLatents, int labelledInputs, int latentsActiveInTwoOrMore,
                         List<DepthJaccard> depths) {
        /** @return the finest depth's score (no collapsing; SPARC's headline "depth 5"). */
        public double finest() {
            return depths.get(depths.size() - 1).meanJaccard();
        }
    }

    private ConceptAlignment() {
    }

    /**
     * @param names     stream names, {@code [S]}.
     * @param streams   per stream its per-input codes; all with the same inputs.
     * @param labels    labels of the input ids.
     * @param hierarchy the label tree (use {@link LabelHierarchy#flat} for flat labels).
     * @return per-depth mean Jaccard.
     */
    public static Result compute(List<String> names, List<InputCodes> streams, LabelTable labels, LabelHierarchy hierarchy) {
        LabelInputs.requireSameInputs(names, streams);
        hierarchy.requireCovers(labels.names(), "label hierarchy");
        int numStreams = streams.size();
        int m = streams.get(0).numLatents();
        int inputs = streams.get(0).inputs();
        int[][] inputLabels = new int[inputs][];
        int labelled = 0;
        for (int r = 0; r < inputs; r++) {
            inputLabels[r] = labels.labelsOf(streams.get(0).inputId(r));
            if (inputLabels[r].length > 0) {
                labelled++;
            }
        }
        int maxDepth = hierarchy.maxDepth();
        int[][] bucket = new int[maxDepth + 1][];
        int[] numBuckets = new int[maxDepth + 1];
        for (int d = 0; d <= maxDepth; d++) {
            bucket[d] = hierarchy.bucketsAt(labels.names(), d);
            numBuckets[d] = Arrays.stream(bucket[d]).max().orElse(-1) + 1;
        }
        int numLabels = labels.numLabels();
        int[][] fine = new int[numStreams][numLabels];
        int[][] collapsed = new int[numStreams][numLabels];
        double[] sum = new double[maxDepth + 1];
        int inTwo = 0;
        boolean[] active = new boolean[numStreams];
        for (int l = 0; l < m; l++) {
            int nActive = 0;
            for (int s = 0; s < numStreams; s++) {
                Arrays.fill(fine[s], 0);
                InputCodes c = streams.get(s);
                boolean any = false;
                for (int q = c.colStart(l); q < c.colEnd(l); q++) {
                    int[] ls = inputLabels[c.colInput(q)];
                    any |= ls.length > 0;
                    for (int label : ls) {
                        fine[s][label]++;
                    }
                }
                active[s] = any;
                nActive += any ? 1 : 0;
            }
            if (nActive < 2) {
                continue; // J_l = 0: dead or single-stream latent
            }
            inTwo++;
            for (int d = 0; d <= maxDepth; d++) {
                for (int s = 0; s < numStreams; s++) {
                    Arrays.fill(collapsed[s], 0, numBuckets[d], 0);
                    for (int c = 0; c < numLabels; c++) {
                        collapsed[s][bucket[d][c]] += fine[s][c];
                    }
                }
                sum[d] += pairMean(collapsed, active, numBuckets[d], nActive);
            }
        }
        List<DepthJaccard> out = new ArrayList<>();
        for (int d = 0; d <= maxDepth; d++) {
            out.add(new DepthJaccard(d, numBuckets[d], sum[d] / m));
        }
        return new Result(List.copyOf(names), m, labelled, inTwo, out);
    }

    /** Mean weighted Jaccard over pairs of active streams. */
    private static double pairMean(int[][] counts, boolean[] active, int buckets, int nActive) {
        double total = 0;
        for (int s = 0; s < counts.length; s++) {
            for (int t = s + 1; t < counts.length; t++) {
                if (!active[s] || !active[t]) {
                    continue;
                }
                long num = 0;
                long den = 0;
                for (int b = 0; b < buckets; b++) {
                    num += Math.min(counts[s][b], counts[t][b]);
                    den += Math.max(counts[s][b], counts[t][b]);
                }
                total += den > 0 ? (double) num / den : 0.0;
            }
        }
        return total / (nActive * (nActive - 1) / 2.0);
    }
}
