package org.tribuo.usae.synth;

import org.tribuo.usae.metrics.ConceptSelection;
import org.tribuo.usae.metrics.ConceptStats;
import org.tribuo.usae.metrics.ConceptStatsAccumulator;
import org.tribuo.usae.metrics.ConceptTraceAccumulator;
import org.tribuo.usae.metrics.Hungarian;
import org.tribuo.usae.metrics.ModelRows;
import org.tribuo.usae.metrics.TraceCriteria;
import org.tribuo.usae.metrics.TraceSelection;
import org.tribuo.usae.metrics.UniversalityCriteria;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

/**
 * Scores a USAE trained on the hard suite against its ground truth ({@link HardPlantedGeometry}), on held-out rows of
 * the suite (docs/recovery.md, "The hard suite", defines every score):
 * <ul>
 *   <li>universal recovery: a shared concept counts when ONE latent has cosine >= {@code threshold} with it in every
 *       model (all shared concepts, and parents, children and free concepts apart);</li>
 *   <li>per model: recall of the shared concepts (some latent at >= threshold) and the mean best cosine;</li>
 *   <li>exclusive recall: an exclusive concept counts when its best latent in its model is at >= threshold and is
 *       silent in the others (fires there on at most {@value #SILENT_SHARE} of the tokens it fires on in its model);</li>
 *   <li>dead latents: never non-zero in any model on the held-out rows (a latent of one model's exclusive concept
 *       is silent in the others by design, so it is not dead); and per model, never non-zero in that model;</li>
 *   <li>SynthSAEBench's per-model scores, over the model's shared and exclusive concepts: MCC (the mean |cosine| of
 *       the optimal one-to-one matching of latents to concepts, Hungarian) and F1 (each latent firing on the
 *       held-out rows is a detector of its best-matching concept; precision, recall and F1 per latent, averaged);</li>
 *   <li>the analysis's labels, by the paper's co-firing rule ({@link ConceptSelection} with
 *       {@link UniversalityCriteria#DEFAULT}) and by the trace rule ({@link TraceSelection} with
 *       {@link TraceCriteria#DEFAULT}), against the truth: a latent is truly shared when, in every model, its nearest
 *       planted concept (shared or that model's exclusive) is the same shared concept, at cosine >=
 *       {@value #LABEL_COSINE}; truly exclusive to model i when in model i its nearest planted concept is one of model
 *       i's exclusive concepts at cosine >= {@value #LABEL_COSINE}. The labels ask what kind of concept a latent
 *       holds, not how well it holds it (the recovery scores ask that), so the match is looser than the recovery's;
 *       precision and recall of "universal" and of "unique to model i".</li>
 * </ul>
 */
public final class HardRecovery {
    /** A latent is silent in a model when it fires there on at most this share of the tokens it fires on in its own. */
    public static final double SILENT_SHARE = 0.1;
    /** The cosine at which a latent's nearest planted concept says what kind of concept it holds (labels' truth). */
    public static final double LABEL_COSINE = 0.6;

    private HardRecovery() {
    }

    /**
     * @param model     the trained USAE (its models in the suite's order).
     * @param geometry  the suite.
     * @param firstRow  first token id of the held-out rows (disjoint from training).
     * @param rows      held-out rows.
     * @param threshold the cosine a recovery needs (0.9).
     * @return the scores.
     */
    public static HardRecoveryResult score(UsaeModel model, HardPlantedGeometry geometry, long firstRow, int rows,
                                           double threshold) {
        HardPlantedOptions o = geometry.options();
        int models = o.numModels();
        int m = model.parameters().architecture().numLatents();
        int[] dims = o.dims();
        float[][] dict = new float[models][];
        for (int i = 0; i < models; i++) {
            dict[i] = model.parameters().model(i).normalizedDictionary();
        }
        float[][][] shared = geometry.sharedDirections();
        float[][][] exclusive = geometry.exclusiveDirections();
        int s = o.sharedConcepts();
        int e = o.exclusivePerModel();
        float[][][] cosShared = new float[models][][];                 // [M][S][m]
        float[][][] cosExclusive = new float[models][][];              // [M][E][m]
        for (int i = 0; i < models; i++) {
            cosShared[i] = cosines(dict[i], m, dims[i], shared[i]);
            cosExclusive[i] = cosines(dict[i], m, dims[i], exclusive[i]);
        }
        // universal: the best latent of a concept maximises its smallest cosine over the models
        double[] universalCos = new double[s];
        for (int c = 0; c < s; c++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double min = Double.POSITIVE_INFINITY;
                for (int i = 0; i < models; i++) {
                    min = Math.min(min, cosShared[i][c][j]);
                }
                best = Math.max(best, min);
            }
            universalCos[c] = best;
        }
        double[] perModelRecall = new double[models];
        double[] perModelMeanCos = new double[models];
        for (int i = 0; i < models; i++) {
            int hit = 0;
            double sum = 0;
            for (int c = 0; c < s; c++) {
                double best = max(cosShared[i][c]);
                hit += best >= threshold ? 1 : 0;
                sum += best;
            }
            perModelRecall[i] = (double) hit / s;
            perModelMeanCos[i] = sum / s;
        }
        // held-out rows: the analysis's statistics and each model's detector counts
        int[][] bestConcept = new int[models][m];                      // per latent, index into shared ++ exclusive
        for (int i = 0; i < models; i++) {
            for (int j = 0; j < m; j++) {
                int arg = 0;
                float best = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < s + e; c++) {
                    float v = c < s ? cosShared[i][c][j] : cosExclusive[i][c - s][j];
                    if (v > best) {
                        best = v;
                        arg = c;
                    }
                }
                bestConcept[i][j] = arg;
            }
        }
        long[][] fires = new long[models][m];
        long[][] truePositives = new long[models][m];
        long[][] active = new long[models][s + e];
        ConceptStatsAccumulator stats = ConceptStatsAccumulator.forModel(model, ConceptStatsAccumulator.DEFAULT_THRESHOLD);
        ConceptTraceAccumulator traces = ConceptTraceAccumulator.forModel(model, ConceptStatsAccumulator.DEFAULT_THRESHOLD);
        try (HardPlantedStream eval = new HardPlantedStream(geometry, firstRow, rows)) {
            new ModelRows(model, eval).forEachBatch(0, rows, 1024, (start, n, raw, codes) -> {
                stats.add(codes);
                traces.add(model.standardizeAll(raw), codes);
                for (int i = 0; i < models; i++) {
                    count(eval, i, start, n, codes[i], s, bestConcept[i], fires[i], truePositives[i], active[i]);
                }
            });
        }
        ConceptStats st = stats.result();
        double[] exclusiveRecall = new double[models];
        double[] dead = new double[models];
        double[] mcc = new double[models];
        double[] f1 = new double[models];
        for (int i = 0; i < models; i++) {
            int hit = 0;
            for (int q = 0; q < e; q++) {
                float[] row = cosExclusive[i][q];
                int j = argmax(row);
                hit += row[j] >= threshold && silentElsewhere(st.nonZeroCounts(), i, j) ? 1 : 0;
            }
            exclusiveRecall[i] = e == 0 ? Double.NaN : (double) hit / e;
            long never = 0;
            for (int j = 0; j < m; j++) {
                never += st.nonZeroCounts()[i][j] == 0 ? 1 : 0;
            }
            dead[i] = (double) never / m;
            mcc[i] = mcc(cosShared[i], cosExclusive[i], m);
            f1[i] = f1(fires[i], truePositives[i], active[i], bestConcept[i]);
        }
        long everywhere = 0;
        for (int j = 0; j < m; j++) {
            boolean silent = true;
            for (int i = 0; i < models && silent; i++) {
                silent = st.nonZeroCounts()[i][j] == 0;
            }
            everywhere += silent ? 1 : 0;
        }
        // the analysis's labels against the truth: what kind of concept each latent holds
        boolean[] labelShared = new boolean[m];
        boolean[][] labelExclusive = new boolean[models][m];
        for (int j = 0; j < m; j++) {
            int c = bestConcept[0][j];
            boolean same = c < s;
            for (int i = 0; i < models; i++) {
                int b = bestConcept[i][j];
                float cos = b < s ? cosShared[i][b][j] : cosExclusive[i][b - s][j];
                same &= b == c && cos >= LABEL_COSINE;
                labelExclusive[i][j] = b >= s && cos >= LABEL_COSINE;
            }
            labelShared[j] = same;
        }
        ConceptSelection firing = ConceptSelection.select(st, UniversalityCriteria.DEFAULT);
        TraceSelection byTrace = TraceSelection.select(traces.result(), st.energyRank(), TraceCriteria.DEFAULT);
        LabelScores firingLabels = labelScores(firing.universal(), firing.uniqueByModel(), labelShared, labelExclusive);
        LabelScores traceLabels = labelScores(byTrace.universal(), byTrace.uniqueByModel(), labelShared, labelExclusive);
        int[] trulyExclusive = new int[models];
        for (int i = 0; i < models; i++) {
            trulyExclusive[i] = count(labelExclusive[i]);
        }
        return new HardRecoveryResult(threshold, fraction(universalCos, 0, s, threshold),
                fraction(universalCos, 0, o.firstChild(), threshold),
                fraction(universalCos, o.firstChild(), o.firstFree(), threshold),
                fraction(universalCos, o.firstFree(), s, threshold), perModelRecall, perModelMeanCos, exclusiveRecall,
                (double) everywhere / m, dead, mcc, f1, firingLabels, traceLabels, count(labelShared), trulyExclusive);
    }

    private static LabelScores labelScores(int[] universal, java.util.List<int[]> unique, boolean[] shared,
                                           boolean[][] exclusive) {
        int m = shared.length;
        double[] u = precisionRecall(mark(universal, m), shared);
        double[] precision = new double[exclusive.length];
        double[] recall = new double[exclusive.length];
        int[] labelled = new int[exclusive.length];
        for (int i = 0; i < exclusive.length; i++) {
            double[] pr = precisionRecall(mark(unique.get(i), m), exclusive[i]);
            precision[i] = pr[0];
            recall[i] = pr[1];
            labelled[i] = unique.get(i).length;
        }
        return new LabelScores(u[0], u[1], precision, recall, universal.length, labelled);
    }

    private static boolean[] mark(int[] ids, int m) {
        boolean[] out = new boolean[m];
        for (int j : ids) {
            out[j] = true;
        }
        return out;
    }

    /** Adds one batch of one model to its detector counts. */
    private static void count(HardPlantedStream eval, int model, long start, int n, SparseCodes codes, int s,
                              int[] bestConcept, long[] fires, long[] truePositives, long[] active) {
        int k = codes.k();
        for (int r = 0; r < n; r++) {
            HardPlantedStream.TokenConcepts t = eval.concepts(start + r, model);
            java.util.BitSet on = new java.util.BitSet();
            for (int c : t.shared()) {
                on.set(c);
                active[c]++;
            }
            for (int q : t.exclusive()) {
                on.set(s + q);
                active[s + q]++;
            }
            for (int a = 0; a < k; a++) {
                if (codes.values()[r * k + a] > 0) {
                    int j = codes.indices()[r * k + a];
                    fires[j]++;
                    truePositives[j] += on.get(bestConcept[j]) ? 1 : 0;
                }
            }
        }
    }

    private static boolean silentElsewhere(long[][] nonZero, int model, int latent) {
        long own = nonZero[model][latent];
        if (own == 0) {
            return false;
        }
        for (int i = 0; i < nonZero.length; i++) {
            if (i != model && nonZero[i][latent] > SILENT_SHARE * own) {
                return false;
            }
        }
        return true;
    }

    /** Mean |cosine| of the optimal one-to-one matching of the model's concepts to latents. */
    private static double mcc(float[][] cosShared, float[][] cosExclusive, int m) {
        int concepts = cosShared.length + cosExclusive.length;
        float[] cost = new float[concepts * m];
        for (int c = 0; c < concepts; c++) {
            float[] row = c < cosShared.length ? cosShared[c] : cosExclusive[c - cosShared.length];
            for (int j = 0; j < m; j++) {
                cost[c * m + j] = Math.abs(row[j]);
            }
        }
        int[] match = Hungarian.assign(cost, concepts, m, true);
        double sum = 0;
        for (int c = 0; c < concepts; c++) {
            sum += match[c] >= 0 ? cost[c * m + match[c]] : 0;     // more concepts than latents: the rest score 0
        }
        return sum / concepts;
    }

    /** Mean F1 over the latents that fire on the held-out rows, each a detector of its best-matching concept. */
    private static double f1(long[] fires, long[] truePositives, long[] active, int[] bestConcept) {
        double sum = 0;
        int alive = 0;
        for (int j = 0; j < fires.length; j++) {
            if (fires[j] == 0) {
                continue;
            }
            alive++;
            double precision = (double) truePositives[j] / fires[j];
            long positives = active[bestConcept[j]];
            double recall = positives == 0 ? 0 : (double) truePositives[j] / positives;
            sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return alive == 0 ? 0 : sum / alive;
    }

    /** @return {precision, recall} of {@code labelled} against {@code truth} (NaN when a denominator is 0). */
    static double[] precisionRecall(boolean[] labelled, boolean[] truth) {
        int both = 0;
        int l = 0;
        int t = 0;
        for (int j = 0; j < labelled.length; j++) {
            l += labelled[j] ? 1 : 0;
            t += truth[j] ? 1 : 0;
            both += labelled[j] && truth[j] ? 1 : 0;
        }
        return new double[]{l == 0 ? Double.NaN : (double) both / l, t == 0 ? Double.NaN : (double) both / t};
    }

    /** @return {@code [concepts][m]} cosines of each unit direction with each (unit) dictionary row. */
    private static float[][] cosines(float[] dict, int m, int d, float[][] directions) {
        float[][] out = new float[directions.length][m];
        double[] norm = new double[m];
        for (int j = 0; j < m; j++) {
            double n = 0;
            for (int t = 0; t < d; t++) {
                n += (double) dict[j * d + t] * dict[j * d + t];
            }
            norm[j] = Math.sqrt(n);
        }
        for (int c = 0; c < directions.length; c++) {
            float[] u = directions[c];
            for (int j = 0; j < m; j++) {
                float dot = 0;
                for (int t = 0; t < d; t++) {
                    dot += dict[j * d + t] * u[t];
                }
                out[c][j] = norm[j] == 0 ? 0 : (float) (dot / norm[j]);
            }
        }
        return out;
    }

    private static double fraction(double[] values, int from, int to, double threshold) {
        if (to <= from) {
            return Double.NaN;
        }
        int hit = 0;
        for (int c = from; c < to; c++) {
            hit += values[c] >= threshold ? 1 : 0;
        }
        return (double) hit / (to - from);
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }

    private static double max(float[] v) {
        return v[argmax(v)];
    }

    private static int argmax(float[] v) {
        int arg = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[arg]) {
                arg = j;
            }
        }
        return arg;
    }
}
