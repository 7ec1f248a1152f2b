package org.tribuo.usae.metrics.labels;

import org.junit.jupiter.api.Test;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearProbeTest {
    /**
     * x = {-1, +1}, y = {0, 1}, C = 1. By symmetry b = 0, and dF/dw = w + (σ(w) − 1)·1 + σ(−w)·(−1)
     * = w − 2(1 − σ(w)) = 0, i.e. w = 2(1 − σ(w)) ≈ 0.6749 (w = 0.675: σ = 0.66262, 2(1 − σ) = 0.67476).
     */
    @Test
    void exactSolverHitsTheWorkedOptimum() {
        ExactLogisticRegression.Fit f = ExactLogisticRegression.fit(new double[]{-1, 1}, new boolean[]{false, true}, 1.0);
        assertEquals(0.0, f.intercept(), 1e-12);
        assertEquals(2 * (1 - ExactLogisticRegression.sigmoid(f.weight())), f.weight(), 1e-10);
        assertEquals(0.6749, f.weight(), 1e-3);
    }

    @Test
    void exactSolverIsAtTheMinimumOfTheObjective() {
        double[] x = separableIsh(300, 4).x;
        boolean[] y = separableIsh(300, 4).y;
        ExactLogisticRegression.Fit f = ExactLogisticRegression.fit(x, y, 1.0);
        double best = ExactLogisticRegression.objective(x, y, 1.0, f.weight(), f.intercept());
        // Brute-force neighbourhood: no point on a small grid around the optimum is lower.
        for (double dw = -0.01; dw <= 0.01; dw += 0.0025) {
            for (double db = -0.01; db <= 0.01; db += 0.0025) {
                assertTrue(ExactLogisticRegression.objective(x, y, 1.0, f.weight() + dw, f.intercept() + db) >= best - 1e-12);
            }
        }
    }

    /** A noisy threshold problem: x ~ U(0, 4), y = [x + N(0, 0.5²) > 2]; separable-ish, not separable. */
    record Problem(double[] x, boolean[] y) {
    }

    static Problem separableIsh(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = 4 * r.nextDouble();
            y[i] = x[i] + 0.5 * r.nextGaussian() > 2;
        }
        return new Problem(x, y);
    }

    /**
     * Tolerance 0.005 nats of mean training log-loss. Tribuo fits without a penalty (see TribuoProbe), so
     * its loss is at least the unpenalised optimum's, and it reaches it within the tolerance at any code
     * scale. The C = 1 optimum agrees only while the penalty 0.5 w² is small next to the n loss terms:
     * at scale 1 the two optima differ by about 0.0015 (0.2303 vs 0.2318 measured); at scale 0.01 the
     * needed w is 100x larger, the penalty dominates and sklearn's C = 1 fit falls to near chance
     * (0.686 measured), while the scale-free Tribuo fit does not: use the EXACT solver for parity then.
     */
    @Test
    void tribuoFitIsCloseToTheExactOptimum() {
        for (double scale : new double[]{1.0, 0.01}) {
            Problem p = separableIsh(300, 4);
            double[] x = Arrays.stream(p.x()).map(v -> v * scale).toArray();
            ExactLogisticRegression.Fit c1 = ExactLogisticRegression.fit(x, p.y(), 1.0);
            ExactLogisticRegression.Fit free = ExactLogisticRegression.fit(x, p.y(), Double.POSITIVE_INFINITY);
            TribuoProbe tribuo = TribuoProbe.fit(x, p.y(), ProbeOptions.defaults());
            double c1Loss = BinaryScores.logLoss(Arrays.stream(x).map(c1::probability).toArray(), p.y());
            double freeLoss = BinaryScores.logLoss(Arrays.stream(x).map(free::probability).toArray(), p.y());
            double tribuoLoss = BinaryScores.logLoss(tribuo.probabilities(x), p.y());
            assertTrue(freeLoss <= tribuoLoss + 1e-9, "the unpenalised optimum is the minimum: " + freeLoss + " vs " + tribuoLoss);
            assertEquals(freeLoss, tribuoLoss, 0.005, "scale " + scale);
            if (scale == 1.0) {
                assertEquals(c1Loss, tribuoLoss, 0.005);
            } else {
                assertTrue(c1Loss > 0.65, "C = 1 penalty dominates at small scale: " + c1Loss);
            }
        }
    }

    /*
     * p = (0.9, 0.2, 0.6, 0.4), y = (1, 0, 0, 1):
     * log-loss = −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.4)/4 = (0.10536 + 0.22314 + 0.91629 + 0.91629)/4 = 0.54027
     * accuracy: 0.9→1 ok, 0.2→0 ok, 0.6→1 wrong, 0.4→0 wrong = 0.5
     * AUC: positives {0.9, 0.4} vs negatives {0.2, 0.6}: 0.9>0.2, 0.9>0.6, 0.4>0.2, 0.4<0.6 -> 3/4
     */
    @Test
    void binaryScoresOnHandValues() {
        double[] p = {0.9, 0.2, 0.6, 0.4};
        boolean[] y = {true, false, false, true};
        assertEquals(-(Math.log(0.9) + Math.log(0.8) + 2 * Math.log(0.4)) / 4, BinaryScores.logLoss(p, y), 1e-12);
        assertEquals(0.54027, BinaryScores.logLoss(p, y), 1e-5);
        assertEquals(0.5, BinaryScores.accuracy(p, y));
        assertEquals(0.75, BinaryScores.auc(p, y));
        assertEquals(-Math.log(1e-15), BinaryScores.logLoss(new double[]{0}, new boolean[]{true}), 1e-9, "clipped like sklearn");
    }

    @Test
    void tribuoEvaluationAgreesWithThePlainScores() {
        Problem train = separableIsh(200, 1);
        Problem test = separableIsh(60, 2);
        TribuoProbe probe = TribuoProbe.fit(train.x(), train.y(), ProbeOptions.defaults());
        double[] p = probe.probabilities(test.x());
        LabelEvaluation e = probe.evaluate(test.x(), test.y());
        assertEquals(BinaryScores.accuracy(p, test.y()), e.accuracy(), 1e-12);
        assertEquals(BinaryScores.auc(p, test.y()), e.AUCROC(TribuoProbe.positiveLabel()), 1e-12);
        assertTrue(e.accuracy() > 0.75, "the threshold problem is learnable: " + e.accuracy());
    }

    @Test
    void splitIsBalancedStratifiedDisjointAndSeeded() {
        int[] pos = java.util.stream.IntStream.range(0, 51).toArray();
        int[] neg = java.util.stream.IntStream.range(100, 300).toArray();
        ProbeOptions o = ProbeOptions.defaults();
        ProbeSplit s = ProbeSplit.of(pos, neg, 7, o);
        // per class 51: train floor(0.7·51) = 35, rest 16 -> validation floor(0.5·16) = 8, test 8
        assertEquals(70, s.train().length);
        assertEquals(16, s.val().length);
        assertEquals(16, s.test().length);
        assertEquals(35, Arrays.stream(s.train()).filter(r -> r < 100).count());
        assertEquals(8, Arrays.stream(s.test()).filter(r -> r < 100).count());
        Set<Integer> all = new HashSet<>();
        for (int[] part : List.of(s.train(), s.val(), s.test())) {
            for (int r : part) {
                assertTrue(all.add(r), "input " + r + " in two parts");
            }
        }
        assertEquals(102, all.size(), "all 51 positives + 51 negatives");
        assertTrue(all.containsAll(Arrays.stream(pos).boxed().toList()));
        ProbeSplit again = ProbeSplit.of(pos, neg, 7, o);
        assertArrayEquals(s.test(), again.test());
        assertNotEquals(Arrays.toString(s.test()), Arrays.toString(ProbeSplit.of(pos, neg, 8, o).test()));
        assertThrows(IllegalArgumentException.class, () -> ProbeSplit.of(pos, new int[3], 1, o));
    }

    /**
     * 240 inputs, label "hot" on the first 120 (every input labelled: "cold" on the rest).
     * latent 0: active on every input, value U(0.1, 1) (no information; co-activation 120);
     * latent 1: active on positives only with value 1 + U(0, 1), plus on 10 negatives (co-activation 120);
     * latent 2: active on 60 positives (co-activation 60). Ties on co-activation: lower id first.
     */
    private static InputCodes probeCodes() {
        Random r = new Random(9);
        int n = 240;
        int m = 3;
        float[] dense = new float[n * m];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            dense[i * m] = 0.1f + 0.9f * r.nextFloat();
            if (i < 120 || i % 12 == 0) {
                dense[i * m + 1] = 1 + r.nextFloat();
            }
            if (i < 60) {
                dense[i * m + 2] = r.nextFloat() + 0.01f;
            }
        }
        return InputCodes.fromDense(ids, dense, m);
    }

    private static LabelTable probeLabels() {
        int[][] l = new int[240][];
        for (int i = 0; i < 240; i++) {
            l[i] = new int[]{i < 120 ? 0 : 1};
        }
        return LabelTable.of(List.of("hot", "cold"), l);
    }

    @Test
    void probePicksTheInformativeLatent() {
        for (ProbeOptions.ProbeSolver solver : ProbeOptions.ProbeSolver.values()) {
            LinearProbe1D.StreamResult r = LinearProbe1D.probe("s", probeCodes(), probeLabels(),
                    ProbeOptions.defaults().withSolver(solver));
            assertEquals(2, r.tasks().size(), "both labels have 120 > 50 positives");
            LinearProbe1D.Task hot = r.tasks().get(0);
            assertEquals("hot", hot.name());
            assertEquals(1, hot.latent(), solver + ": latent 1 separates hot from cold");
            assertEquals(120, hot.coActivation());
            assertTrue(hot.testLogLoss() < 0.35 && hot.testAccuracy() > 0.85, solver + ": " + hot);
            assertEquals(r.tasks().stream().mapToDouble(LinearProbe1D.Task::testLogLoss).average().orElseThrow(),
                    r.meanTestLogLoss(), 1e-12);
        }
    }

    @Test
    void candidatesAreTheTopKByCoActivationAndTasksNeedMoreThanMinPositives() {
        InputCodes x = probeCodes();
        int[] pos = java.util.stream.IntStream.range(0, 120).toArray();
        int[] co = LinearProbe1D.coActivation(x, pos);
        assertArrayEquals(new int[]{120, 120, 60}, co);
        int[] train = {0, 130};
        assertArrayEquals(new int[]{0}, LinearProbe1D.candidates(x, train, co, 1), "tie 120/120: lower id first");
        assertArrayEquals(new int[]{0, 1, 2}, LinearProbe1D.candidates(x, train, co, 5));
        assertArrayEquals(new int[]{0}, LinearProbe1D.candidates(x, new int[]{130}, co, 5), "only latents active in train");
        LinearProbe1D.StreamResult none = LinearProbe1D.probe("s", x, probeLabels(),
                ProbeOptions.defaults().withMinPositives(120));
        assertTrue(none.tasks().isEmpty(), "120 positives is not MORE than 120");
        assertTrue(Double.isNaN(none.meanTestLogLoss()));
    }
}
