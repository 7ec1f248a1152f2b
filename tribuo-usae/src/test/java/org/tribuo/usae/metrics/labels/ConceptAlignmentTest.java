package org.tribuo.usae.metrics.labels;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConceptAlignmentTest {
    /*
     * Label histograms (cat, dog, car) per latent and stream, labelled inputs only:
     * latent0: A (1,1,0)  B (2,0,1)  C inactive       -> pair AB
     *   depth 2: min 1+0+0 = 1, max 2+1+1 = 4 -> 0.25; depth 1 (animal, vehicle): A (2,0) B (2,1) -> 2/3;
     *   depth 0: A 2, B 3 -> 2/3
     * latent1: A (0,0,1)  B (0,0,1)  C only on unlabelled in4, so inactive -> J = 1 at every depth
     * latent2: A only -> J = 0
     * latent3: A (1,0,0)  B (0,1,0)  C (1,1,0)
     *   depth 2: AB 0/2 = 0, AC 1/2, BC 1/2 -> 1/3; depth 1: A 1, B 1, C 2 -> AB 1, AC 1/2, BC 1/2 -> 2/3; depth 0 same
     * mean over all 4 latents: depth 2 (0.25 + 1 + 0 + 1/3)/4 = 0.3958333; depth 1 and 0 (2/3 + 1 + 0 + 2/3)/4 = 0.5833333
     */
    @Test
    void handMadeJaccardPerDepth() {
        ConceptAlignment.Result r = ConceptAlignment.compute(HandMadeCodes.STREAMS, HandMadeCodes.streams(),
                HandMadeCodes.labels(), HandMadeCodes.tree());
        assertEquals(3, r.depths().size());
        assertEquals((0.25 + 1 + 0 + 1.0 / 3) / 4, r.depths().get(2).meanJaccard(), 1e-12);
        assertEquals((2.0 / 3 + 1 + 0 + 2.0 / 3) / 4, r.depths().get(1).meanJaccard(), 1e-12);
        assertEquals((2.0 / 3 + 1 + 0 + 2.0 / 3) / 4, r.depths().get(0).meanJaccard(), 1e-12);
        assertEquals(List.of(1, 2, 3), r.depths().stream().map(ConceptAlignment.DepthJaccard::buckets).toList());
        assertEquals(3, r.latentsActiveInTwoOrMore());
        assertEquals(4, r.labelledInputs(), "in4 is unlabelled");
        assertEquals(r.depths().get(2).meanJaccard(), r.finest());
    }

    @Test
    void flatLabelsHaveTheFinestLevelAtDepthOneAndOneBucketAtDepthZero() {
        ConceptAlignment.Result r = ConceptAlignment.compute(HandMadeCodes.STREAMS, HandMadeCodes.streams(),
                HandMadeCodes.labels(), LabelHierarchy.flat(HandMadeCodes.NAMES));
        assertEquals(2, r.depths().size());
        assertEquals((0.25 + 1 + 0 + 1.0 / 3) / 4, r.depths().get(1).meanJaccard(), 1e-12);
        // depth 0: totals latent0 A 2, B 3 -> 2/3; latent1 1; latent3 A 1, B 1, C 2 -> 2/3
        assertEquals((2.0 / 3 + 1 + 2.0 / 3) / 4, r.depths().get(0).meanJaccard(), 1e-12);
    }

    @Test
    void bruteForceAgreesOnRandomCodes() {
        java.util.Random rng = new java.util.Random(3);
        int inputs = 40;
        int m = 7;
        int[][] lab = new int[inputs][];
        for (int r = 0; r < inputs; r++) {
            lab[r] = rng.nextInt(5) == 0 ? new int[0] : new int[]{rng.nextInt(3), rng.nextInt(3)};
        }
        LabelTable labels = LabelTable.of(HandMadeCodes.NAMES, lab);
        long[] ids = new long[inputs];
        for (int r = 0; r < inputs; r++) {
            ids[r] = r;
        }
        float[][] dense = new float[3][inputs * m];
        for (float[] d : dense) {
            for (int q = 0; q < d.length; q++) {
                d[q] = rng.nextInt(4) == 0 ? rng.nextFloat() + 0.1f : 0f;
            }
        }
        dense[2] = new float[inputs * m]; // a dead stream: only pairs of A and B count
        List<InputCodes> streams = List.of(InputCodes.fromDense(ids, dense[0], m), InputCodes.fromDense(ids, dense[1], m),
                InputCodes.fromDense(ids, dense[2], m));
        ConceptAlignment.Result r = ConceptAlignment.compute(HandMadeCodes.STREAMS, streams, labels, HandMadeCodes.tree());
        for (int d = 0; d <= 2; d++) {
            double sum = 0;
            for (int l = 0; l < m; l++) {
                // Two live streams at most: J = Σ min / Σ max over buckets of the per-stream histograms.
                List<java.util.Map<String, Integer>> h = List.of(new java.util.HashMap<>(), new java.util.HashMap<>());
                boolean[] act = new boolean[2];
                for (int s = 0; s < 2; s++) {
                    for (int i = 0; i < inputs; i++) {
                        if (dense[s][i * m + l] > 0 && lab[i].length > 0) {
                            act[s] = true;
                            for (int c : java.util.Arrays.stream(lab[i]).distinct().toArray()) {
                                h.get(s).merge(HandMadeCodes.tree().collapse(HandMadeCodes.NAMES.get(c), d), 1, Integer::sum);
                            }
                        }
                    }
                }
                if (act[0] && act[1]) {
                    double num = 0;
                    double den = 0;
                    for (String b : List.of("root", "animal", "vehicle", "cat", "dog", "car")) {
                        int x = h.get(0).getOrDefault(b, 0);
                        int y = h.get(1).getOrDefault(b, 0);
                        num += Math.min(x, y);
                        den += Math.max(x, y);
                    }
                    sum += den > 0 ? num / den : 0;
                }
            }
            assertEquals(sum / m, r.depths().get(d).meanJaccard(), 1e-12, "depth " + d);
        }
    }

    @Test
    void labelsMissingFromTheTreeAreAnError() {
        LabelHierarchy partial = new LabelHierarchy(HandMadeCodes.node("root", HandMadeCodes.node("cat")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConceptAlignment.compute(
                HandMadeCodes.STREAMS, HandMadeCodes.streams(), HandMadeCodes.labels(), partial));
        assertTrue(e.getMessage().contains("[dog, car]"), e.getMessage());
    }
}
