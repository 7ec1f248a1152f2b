package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ConceptExamplesTest {

    /**
     * Rows of models a and b with 3 dims = 3 concepts (identity encoders, so code = ReLU(x)); rows are
     * shuffled across inputs and positions so the result must follow the row index, not the row order.
     */
    private static InMemoryActivationSet handMadeSet() {
        // row: input, position, a = (c0, c1, c2), b = (c0, c1, c2)
        Object[][] rows = {
                {1L, 2L, new float[]{6, 1, 0}, new float[]{0, 0, 0}},
                {0L, 0L, new float[]{0, 1, 0}, new float[]{0, 3, 0}},
                {1L, 0L, new float[]{0, 1, 0}, new float[]{0, -2, 0}},
                {2L, 0L, new float[]{0, 2, 0}, new float[]{0, 3, 0}},
                {0L, 1L, new float[]{0, -1, 0}, new float[]{0, 0, 0}},
                {1L, 1L, new float[]{-4, 1, 0}, new float[]{0, 0, 0}},
        };
        float[] a = new float[rows.length * 3];
        float[] b = new float[rows.length * 3];
        long[] ids = new long[rows.length];
        long[] pos = new long[rows.length];
        for (int r = 0; r < rows.length; r++) {
            ids[r] = (Long) rows[r][0];
            pos[r] = (Long) rows[r][1];
            System.arraycopy((float[]) rows[r][2], 0, a, r * 3, 3);
            System.arraycopy((float[]) rows[r][3], 0, b, r * 3, 3);
        }
        return new InMemoryActivationSet(List.of("a", "b"), new int[]{3, 3}, new float[][]{a, b}, RowIndex.of(ids, pos));
    }

    @Test
    void scoresAreTheModelMeanOfMeanTokenActivation() {
        UsaeModel model = IdentityModels.identity(List.of("a", "b"), 3, 3);
        // concept 1, sum over both models' tokens / (2 models * tokens):
        //   input 0 (2 tokens): a 1 + 0, b 3 + 0 -> 4 / 4 = 1.0
        //   input 1 (3 tokens): a 1 + 1 + 1, b 0 + 0 + 0 (ReLU(-2) = 0) -> 3 / 6 = 0.5
        //   input 2 (1 token):  a 2, b 3 -> 5 / 2 = 2.5
        // concept 0: only input 1 position 2 (a = 6; ReLU(-4) = 0) -> 6 / 6 = 1.0; other inputs score 0 and are left out
        // concept 2: never fires -> no examples
        List<ConceptPanel> panels = ConceptExamples.find(model, handMadeSet(), new int[]{1, 0, 2}, 2, 4);
        assertEquals(3, panels.size());
        ConceptPanel c1 = panels.get(0);
        assertEquals(1, c1.concept());
        assertEquals(List.of("a", "b"), c1.modelNames());
        assertEquals(2, c1.examples().size());
        assertEquals(2L, c1.examples().get(0).inputId());
        assertEquals(2.5, c1.examples().get(0).score(), 1e-6);
        assertEquals(0L, c1.examples().get(1).inputId());
        assertEquals(1.0, c1.examples().get(1).score(), 1e-6);
        // per-token activations by position, per model
        assertArrayEquals(new float[]{2}, c1.examples().get(0).activations()[0], 1e-6f);
        assertArrayEquals(new float[]{3}, c1.examples().get(0).activations()[1], 1e-6f);
        assertArrayEquals(new float[]{1, 0}, c1.examples().get(1).activations()[0], 1e-6f);
        assertArrayEquals(new float[]{3, 0}, c1.examples().get(1).activations()[1], 1e-6f);

        ConceptPanel c0 = panels.get(1);
        assertEquals(1, c0.examples().size());
        assertEquals(1L, c0.examples().get(0).inputId());
        assertEquals(1.0, c0.examples().get(0).score(), 1e-6);
        // input 1 rows: position 2 (a = 6), position 0 (0), position 1 (ReLU(-4) = 0)
        assertArrayEquals(new float[]{0, 0, 6}, c0.examples().get(0).activations()[0], 1e-6f);
        assertArrayEquals(new float[]{0, 0, 0}, c0.examples().get(0).activations()[1], 1e-6f);

        assertTrue(panels.get(2).examples().isEmpty());
    }

    @Test
    void matchesABruteForceOverEveryInputOnRandomData() {
        // 3 models, 8 dims, k = 3 (TopK drops concepts), 40 inputs of 1..6 tokens, rows in input order
        SplittableRandom rng = new SplittableRandom(7);
        int dim = 8;
        List<Long> idList = new ArrayList<>();
        List<Long> posList = new ArrayList<>();
        for (long in = 0; in < 40; in++) {
            int t = 1 + rng.nextInt(6);
            for (int p = 0; p < t; p++) {
                idList.add(in);
                posList.add((long) p);
            }
        }
        int rows = idList.size();
        float[][] data = new float[3][rows * dim];
        for (float[] d : data) {
            for (int q = 0; q < d.length; q++) {
                d[q] = (float) rng.nextGaussian();
            }
        }
        long[] ids = idList.stream().mapToLong(Long::longValue).toArray();
        long[] pos = posList.stream().mapToLong(Long::longValue).toArray();
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("x", "y", "z"), new int[]{dim, dim, dim}, data,
                RowIndex.of(ids, pos));
        UsaeModel model = IdentityModels.identity(List.of("x", "y", "z"), dim, 3);
        int[] concepts = {0, 5, 7};
        List<ConceptPanel> panels = ConceptExamples.find(model, set, concepts, 5, 7);

        // brute force: encode each input's rows per model in one call, dense, mean over tokens, mean over models
        for (int c = 0; c < concepts.length; c++) {
            Map<Long, Double> score = new HashMap<>();
            for (long in = 0; in < 40; in++) {
                double sum = 0;
                int t = 0;
                for (int m = 0; m < 3; m++) {
                    List<Integer> rs = new ArrayList<>();
                    for (int r = 0; r < rows; r++) {
                        if (ids[r] == in) {
                            rs.add(r);
                        }
                    }
                    float[] raw = new float[rs.size() * dim];
                    for (int i = 0; i < rs.size(); i++) {
                        System.arraycopy(data[m], rs.get(i) * dim, raw, i * dim, dim);
                    }
                    SparseCodes codes = model.encode(m, raw, rs.size());
                    float[] dense = codes.toDense(dim);
                    for (int i = 0; i < rs.size(); i++) {
                        sum += dense[i * dim + concepts[c]];
                    }
                    t = rs.size();
                }
                score.put(in, sum / (3.0 * t));
            }
            List<Map.Entry<Long, Double>> best = new ArrayList<>(score.entrySet());
            best.removeIf(e -> e.getValue() <= 0);
            best.sort(Map.Entry.<Long, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            List<ConceptExample> got = panels.get(c).examples();
            assertEquals(Math.min(5, best.size()), got.size());
            for (int e = 0; e < got.size(); e++) {
                assertEquals(best.get(e).getKey(), got.get(e).inputId(), "concept " + concepts[c] + " rank " + e);
                assertEquals(best.get(e).getValue(), got.get(e).score(), 1e-6);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        UsaeModel model = IdentityModels.identity(List.of("a", "b"), 3, 3);
        InMemoryActivationSet set = handMadeSet();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConceptExamples.find(model, set, new int[]{3}, 2, 4));
        assertTrue(e.getMessage().contains("concept id 3 is outside [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConceptExamples.find(model, set, new int[]{1, 1}, 2, 4));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
        InMemoryActivationSet noIndex = new InMemoryActivationSet(List.of("a", "b"), new int[]{3, 3},
                new float[][]{new float[3], new float[3]});
        e = assertThrows(IllegalArgumentException.class, () -> ConceptExamples.find(model, noIndex, new int[]{1}, 2, 4));
        assertTrue(e.getMessage().contains("row index"), e.getMessage());
    }
}
