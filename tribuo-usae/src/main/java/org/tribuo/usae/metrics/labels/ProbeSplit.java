package org.tribuo.usae.metrics.labels;

import java.util.Arrays;
import java.util.Random;

/**
 * One task's balanced, stratified data split (SPARC {@code t2_probe_1d.ipynb}): all positives plus as
 * many negatives drawn without replacement (seed {@code balanceSeed + t}); then per class a shuffle
 * (seed {@code trainSplitSeed + t}) whose first {@code floor(trainFraction · n_class)} are train, and a
 * second shuffle of the rest (seed {@code valSplitSeed + t}) whose first
 * {@code floor(valFraction / (1 − trainFraction) · rest)} are validation, the others test.
 * <p>
 * numpy's {@code RandomState} and sklearn's {@code StratifiedShuffleSplit} cannot be reproduced in
 * Java, so the parts hold the same counts (up to sklearn's rounding of a class's share) but
 * different inputs than SPARC's.
 *
 * @param train input positions used to fit.
 * @param val   input positions used to choose the latent.
 * @param test  input positions the score is measured on.
 */
public record ProbeSplit(int[] train, int[] val, int[] test) {

    /**
     * @param positives input positions carrying the label.
     * @param negatives labelled input positions without it; at least as many as positives.
     * @param task      task (label) id t, added to the seeds.
     * @param o         fractions and seeds.
     * @return the split.
     */
    public static ProbeSplit of(int[] positives, int[] negatives, int task, ProbeOptions o) {
        if (negatives.length < positives.length) {
            throw new IllegalArgumentException("task " + task + ": " + positives.length + " positives but only "
                    + negatives.length + " negatives, cannot balance");
        }
        int[] neg = negatives.clone();
        Random balance = new Random(o.balanceSeed() + task);
        partialShuffle(neg, positives.length, balance);
        int[] negSample = Arrays.copyOf(neg, positives.length);
        int[] pos = positives.clone();
        Random first = new Random(o.trainSplitSeed() + task);
        Random second = new Random(o.valSplitSeed() + task);
        int[][] p = splitClass(pos, first, second, o);
        int[][] n = splitClass(negSample, first, second, o);
        return new ProbeSplit(concat(p[0], n[0]), concat(p[1], n[1]), concat(p[2], n[2]));
    }

    private static int[][] splitClass(int[] members, Random first, Random second, ProbeOptions o) {
        partialShuffle(members, members.length, first);
        int nTrain = (int) Math.floor(o.trainFraction() * members.length + 1e-9);
        int[] rest = Arrays.copyOfRange(members, nTrain, members.length);
        partialShuffle(rest, rest.length, second);
        int nVal = (int) Math.floor(o.valFraction() / (1 - o.trainFraction()) * rest.length + 1e-9);
        return new int[][]{Arrays.copyOf(members, nTrain), Arrays.copyOf(rest, nVal),
                Arrays.copyOfRange(rest, nVal, rest.length)};
    }

    /** Fisher-Yates on the first {@code count} slots: they become a uniform draw without replacement. */
    private static void partialShuffle(int[] a, int count, Random rng) {
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
