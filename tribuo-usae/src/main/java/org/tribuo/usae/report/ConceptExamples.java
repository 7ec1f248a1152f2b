package org.tribuo.usae.report;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.ModelRows;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the inputs that best show given concepts (as {@code _get_representative_ids} in the official code;
 * the analyses are defined in docs/metrics.md): every model encodes its own rows; an input's score for concept k is the mean
 * over models of its mean token activation of k; the top-n inputs by score are kept (inputs scoring
 * 0 are left out), and for those the per-token activations of every model are returned.
 *
 * <p>Two streaming passes over the set: one to score every input, one to read the rows of the
 * chosen inputs. Memory is {@code inputs x concepts} doubles plus the chosen examples. An input may
 * lack rows for some token positions (an extraction that kept only foreground tokens): its score
 * averages the rows it has, and the missing positions are NaN in its example.
 */
public final class ConceptExamples {
    private ConceptExamples() {
    }

    /**
     * @param model     the trained model.
     * @param set       activations of the model's models (matched by name), with a row index.
     * @param concepts  concept ids, each in {@code [0, numLatents)}.
     * @param topN      examples per concept (>= 1).
     * @param batchSize rows encoded at a time (>= 1).
     * @return one panel per concept, in the order given.
     * @throws IllegalArgumentException when the set lacks a row index or a model, a width differs, or
     * a concept id is out of range.
     */
    public static List<ConceptPanel> find(UsaeModel model, ActivationSet set, int[] concepts, int topN, int batchSize) {
        ModelRows enc = new ModelRows(model, set);
        int m = model.parameters().architecture().numLatents();
        if (topN < 1 || batchSize < 1) {
            throw new IllegalArgumentException("topN and batchSize must be >= 1, got topN=" + topN + ", batchSize=" + batchSize);
        }
        int[] slot = new int[m];
        java.util.Arrays.fill(slot, -1);
        for (int c = 0; c < concepts.length; c++) {
            if (concepts[c] < 0 || concepts[c] >= m) {
                throw new IllegalArgumentException("concept id " + concepts[c] + " is outside [0, " + m + ")");
            }
            if (slot[concepts[c]] >= 0) {
                throw new IllegalArgumentException("concept id " + concepts[c] + " is listed twice");
            }
            slot[concepts[c]] = c;
        }
        RowIndex index = set.rowIndex().orElseThrow(() -> new IllegalArgumentException(
                "concept examples need the set's row index (row_index.npy: input id, token position); this set has none"));
        int nc = concepts.length;
        // per input: summed activation of each concept over models and tokens, then the token count
        Map<Long, double[]> sums = new HashMap<>();
        for (long start = 0; start < set.rows(); start += batchSize) {
            int rows = (int) Math.min(batchSize, set.rows() - start);
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = start + r;
            }
            SparseCodes[] codes = enc.encode(ids);
            for (int r = 0; r < rows; r++) {
                double[] acc = sums.computeIfAbsent(index.inputId(ids[r]), k -> new double[nc + 1]);
                acc[nc]++;
                for (SparseCodes c : codes) {
                    for (int j = 0; j < c.k(); j++) {
                        int s = slot[c.indices()[r * c.k() + j]];
                        if (s >= 0) {
                            acc[s] += c.values()[r * c.k() + j];
                        }
                    }
                }
            }
        }
        int models = enc.numModels();
        List<List<ScoredInput>> chosen = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
            List<ScoredInput> all = new ArrayList<>();
            for (Map.Entry<Long, double[]> e : sums.entrySet()) {
                double score = e.getValue()[c] / (models * e.getValue()[nc]);
                if (score > 0) {
                    all.add(new ScoredInput(e.getKey(), score));
                }
            }
            all.sort(Comparator.comparingDouble(ScoredInput::score).reversed().thenComparingLong(ScoredInput::inputId));
            chosen.add(all.subList(0, Math.min(topN, all.size())));
        }
        return examples(enc, index, concepts, slot, chosen, batchSize, model.modelNames());
    }

    private record ScoredInput(long inputId, double score) {
    }

    /** Second pass: reads the chosen inputs' rows and fills each example's per-token activations. */
    private static List<ConceptPanel> examples(ModelRows enc, RowIndex index, int[] concepts, int[] slot,
                                               List<List<ScoredInput>> chosen, int batchSize, List<String> names) {
        // input id -> (concept position, example position) pairs that need its rows
        Map<Long, List<int[]>> wanted = new HashMap<>();
        for (int c = 0; c < chosen.size(); c++) {
            for (int e = 0; e < chosen.get(c).size(); e++) {
                wanted.computeIfAbsent(chosen.get(c).get(e).inputId(), k -> new ArrayList<>()).add(new int[]{c, e});
            }
        }
        Map<Long, Integer> tokens = new HashMap<>();
        List<Long> rowIds = new ArrayList<>();
        for (long r = 0; r < index.rows(); r++) {
            long id = index.inputId(r);
            if (wanted.containsKey(id)) {
                rowIds.add(r);
                long pos = index.position(r);
                if (pos < 0 || pos >= Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("row index: row " + r + " has token position " + pos
                            + ", expected 0 <= position < 2^31");
                }
                tokens.merge(id, (int) pos + 1, Math::max);
            }
        }
        int models = enc.numModels();
        float[][][][] acts = new float[chosen.size()][][][];
        for (int c = 0; c < chosen.size(); c++) {
            acts[c] = new float[chosen.get(c).size()][][];
            for (int e = 0; e < acts[c].length; e++) {
                acts[c][e] = new float[models][tokens.get(chosen.get(c).get(e).inputId())];
                for (float[] row : acts[c][e]) {
                    java.util.Arrays.fill(row, Float.NaN); // positions with no row stay NaN
                }
            }
        }
        for (int start = 0; start < rowIds.size(); start += batchSize) {
            int rows = Math.min(batchSize, rowIds.size() - start);
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = rowIds.get(start + r);
            }
            SparseCodes[] codes = enc.encode(ids);
            for (int r = 0; r < rows; r++) {
                int pos = (int) index.position(ids[r]);
                for (int[] target : wanted.get(index.inputId(ids[r]))) {
                    int concept = concepts[target[0]];
                    for (int i = 0; i < models; i++) {
                        SparseCodes c = codes[i];
                        float v = 0;
                        for (int j = 0; j < c.k(); j++) {
                            if (c.indices()[r * c.k() + j] == concept) {
                                v += c.values()[r * c.k() + j];
                            }
                        }
                        acts[target[0]][target[1]][i][pos] = v;
                    }
                }
            }
        }
        List<ConceptPanel> panels = new ArrayList<>();
        for (int c = 0; c < chosen.size(); c++) {
            List<ConceptExample> ex = new ArrayList<>();
            for (int e = 0; e < chosen.get(c).size(); e++) {
                ScoredInput s = chosen.get(c).get(e);
                ex.add(new ConceptExample(s.inputId(), s.score(), acts[c][e]));
            }
            panels.add(new ConceptPanel(concepts[c], names, ex));
        }
        return panels;
    }

}
