package org.tribuo.usae.metrics.labels;

import org.tribuo.classification.evaluation.LabelEvaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SPARC's 1-D logistic probe (docs/metrics.md, "Labels", {@code t2_probe_1d.ipynb}), per stream. Tasks: labels
 * carried by MORE than {@code minPositives} labelled inputs. Per task t: balanced stratified split
 * ({@link ProbeSplit}); candidates = latents active in some train input, the K with the highest
 * co-activation count (inputs of the whole labelled set with z > 0 and label t; ties: lower latent id
 * first, where numpy's reversed argsort order is unspecified); a 1-feature logistic regression per
 * candidate on the raw pooled activation; the latent with the lowest validation log-loss (first on
 * ties) is chosen and its test log-loss reported. Score = mean test log-loss over tasks (lower is
 * better; chance on balanced data is ln 2).
 */
public final class LinearProbe1D {
    /**
     * @param label        label id t.
     * @param name         label name.
     * @param positives    labelled inputs carrying it.
     * @param latent       chosen latent.
     * @param coActivation its co-activation count with the label.
     * @param valLogLoss   its validation log-loss.
     * @param testLogLoss  its test log-loss (the score).
     * @param testAccuracy test accuracy (Tribuo's {@code LabelEvaluation} with the TRIBUO solver).
     * @param testAuc      test ROC AUC of the positive class (likewise).
     */
    public record Task(int label, String name, int positives, int latent, int coActivation, double valLogLoss,
                       double testLogLoss, double testAccuracy, double testAuc) {
    }

    /** A label that qualified but could not be probed. @param label id. @param name name. @param reason why. */
    public record Skipped(int label, String name, String reason) {
    }

    /**
     * @param stream          stream name.
     * @param meanTestLogLoss mean test log-loss over probed tasks (NaN when none).
     * @param meanAccuracy    mean test accuracy.
     * @param meanAuc         mean test AUC.
     * @param tasks           probed tasks.
     * @param skipped         qualifying labels left out.
     */
    public record StreamResult(String stream, double meanTestLogLoss, double meanAccuracy, double meanAuc,
                               List<Task> tasks, List<Skipped> skipped) {
    }

    private LinearProbe1D() {
    }

    /**
     * @param stream  stream name.
     * @param codes   per-input codes of the stream (unlabelled inputs are ignored).
     * @param labels  labels of the input ids.
     * @param options settings.
     * @return the stream's probe result.
     */
    public static StreamResult probe(String stream, InputCodes codes, LabelTable labels, ProbeOptions options) {
        InputCodes x = codes.restrict(LabelInputs.labelled(codes, labels));
        int n = x.inputs();
        int numLabels = labels.numLabels();
        int[] positiveCount = new int[numLabels];
        for (int r = 0; r < n; r++) {
            for (int c : labels.labelsOf(x.inputId(r))) {
                positiveCount[c]++;
            }
        }
        List<Task> tasks = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int t = 0; t < numLabels; t++) {
            if (positiveCount[t] <= options.minPositives()) {
                continue;
            }
            boolean[] y = new boolean[n];
            int[] pos = new int[positiveCount[t]];
            int[] neg = new int[n - positiveCount[t]];
            int np = 0;
            int nn = 0;
            for (int r = 0; r < n; r++) {
                y[r] = labels.has(x.inputId(r), t);
                if (y[r]) {
                    pos[np++] = r;
                } else {
                    neg[nn++] = r;
                }
            }
            if (neg.length < pos.length) {
                skipped.add(new Skipped(t, labels.name(t), pos.length + " positives but only " + neg.length
                        + " negatives: cannot balance"));
                continue;
            }
            ProbeSplit split = ProbeSplit.of(pos, neg, t, options);
            String missing = missingClass(split, y);
            if (missing != null) {
                skipped.add(new Skipped(t, labels.name(t), missing));
                continue;
            }
            int[] coAct = coActivation(x, pos);
            int[] candidates = candidates(x, split.train(), coAct, options.candidates());
            if (candidates.length == 0) {
                skipped.add(new Skipped(t, labels.name(t), "no latent is active in the train part"));
                continue;
            }
            tasks.add(probeTask(x, y, t, labels.name(t), pos.length, split, candidates, coAct, options));
        }
        return new StreamResult(stream, mean(tasks, Task::testLogLoss), mean(tasks, Task::testAccuracy),
                mean(tasks, Task::testAuc), List.copyOf(tasks), List.copyOf(skipped));
    }

    private static Task probeTask(InputCodes x, boolean[] y, int t, String name, int positives, ProbeSplit split,
                                  int[] candidates, int[] coAct, ProbeOptions o) {
        double bestVal = Double.POSITIVE_INFINITY;
        int best = -1;
        Object bestFit = null;
        boolean[] yTrain = pick(y, split.train());
        boolean[] yVal = pick(y, split.val());
        for (int l : candidates) {
            double[] xTrain = column(x, l, split.train());
            double[] xVal = column(x, l, split.val());
            Object fit;
            double[] pVal;
            if (o.solver() == ProbeOptions.ProbeSolver.TRIBUO) {
                TribuoProbe p = TribuoProbe.fit(xTrain, yTrain, o);
                fit = p;
                pVal = p.probabilities(xVal);
            } else {
                ExactLogisticRegression.Fit f = ExactLogisticRegression.fit(xTrain, yTrain, 1.0);
                fit = f;
                pVal = probabilities(f, xVal);
            }
            double ce = BinaryScores.logLoss(pVal, yVal);
            if (ce < bestVal) {
                bestVal = ce;
                best = l;
                bestFit = fit;
            }
        }
        double[] xTest = column(x, best, split.test());
        boolean[] yTest = pick(y, split.test());
        double testLoss;
        double acc;
        double auc;
        if (bestFit instanceof TribuoProbe p) {
            testLoss = BinaryScores.logLoss(p.probabilities(xTest), yTest);
            LabelEvaluation e = p.evaluate(xTest, yTest);
            acc = e.accuracy();
            auc = e.AUCROC(TribuoProbe.positiveLabel());
        } else {
            double[] pt = probabilities((ExactLogisticRegression.Fit) bestFit, xTest);
            testLoss = BinaryScores.logLoss(pt, yTest);
            acc = BinaryScores.accuracy(pt, yTest);
            auc = BinaryScores.auc(pt, yTest);
        }
        return new Task(t, name, positives, best, coAct[best], bestVal, testLoss, acc, auc);
    }

    /** @return per latent, the positives (of the whole labelled set) in which it is active. */
    static int[] coActivation(InputCodes x, int[] positives) {
        int[] count = new int[x.numLatents()];
        for (int r : positives) {
            for (int p = x.rowStart(r); p < x.rowEnd(r); p++) {
                count[x.rowLatent(p)]++;
            }
        }
        return count;
    }

    /** @return latents active in some train input, top {@code k} by co-activation (ties: lower id first). */
    static int[] candidates(InputCodes x, int[] train, int[] coAct, int k) {
        boolean[] active = new boolean[x.numLatents()];
        for (int r : train) {
            for (int p = x.rowStart(r); p < x.rowEnd(r); p++) {
                active[x.rowLatent(p)] = true;
            }
        }
        return java.util.stream.IntStream.range(0, active.length).filter(l -> active[l]).boxed()
                .sorted((a, b) -> coAct[a] != coAct[b] ? Integer.compare(coAct[b], coAct[a]) : Integer.compare(a, b))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static String missingClass(ProbeSplit s, boolean[] y) {
        int[][] parts = {s.train(), s.val(), s.test()};
        String[] names = {"train", "validation", "test"};
        for (int i = 0; i < 3; i++) {
            boolean anyPos = false;
            boolean anyNeg = false;
            for (int r : parts[i]) {
                anyPos |= y[r];
                anyNeg |= !y[r];
            }
            if (!anyPos || !anyNeg) {
                return "the " + names[i] + " part lacks a class (" + parts[i].length + " inputs); raise minPositives";
            }
        }
        return null;
    }

    private static double[] column(InputCodes x, int latent, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = x.value(rows[i], latent);
        }
        return out;
    }

    private static boolean[] pick(boolean[] y, int[] rows) {
        boolean[] out = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static double[] probabilities(ExactLogisticRegression.Fit f, double[] x) {
        return Arrays.stream(x).map(f::probability).toArray();
    }

    private static double mean(List<Task> tasks, java.util.function.ToDoubleFunction<Task> f) {
        return tasks.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
