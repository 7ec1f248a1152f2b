package org.tribuo.usae.metrics.labels;

/**
 * Settings of {@link LinearProbe1D}; {@link #defaults()} are SPARC's.
 *
 * @param minPositives   a label is a task when MORE than this many labelled inputs carry it (50).
 * @param candidates     K latents tried per task, by co-activation count (20).
 * @param trainFraction  per class share of the balanced data used to fit (0.70).
 * @param valFraction    per class share used to pick the latent (0.15); the rest is the test part.
 * @param balanceSeed    negatives of task t are drawn with seed {@code balanceSeed + t} (1000).
 * @param trainSplitSeed train vs rest of task t uses seed {@code trainSplitSeed + t} (2000).
 * @param valSplitSeed   validation vs test of task t uses seed {@code valSplitSeed + t} (3000).
 * @param solver         TRIBUO (Tribuo linear SGD, default) or EXACT (Newton, L2 with C = 1).
 * @param epochs         Tribuo SGD epochs.
 * @param learningRate   Tribuo AdaGrad learning rate.
 * @param trainerSeed    Tribuo trainer seed (example shuffling).
 */
public record ProbeOptions(int minPositives, int candidates, double trainFraction, double valFraction,
                           long balanceSeed, long trainSplitSeed, long valSplitSeed, ProbeSolver solver, int epochs,
                           double learningRate, long trainerSeed) {
    /** Which fitter the probe uses. */
    public enum ProbeSolver {
        /** Tribuo {@code LinearSGDTrainer} + {@code LogMulticlass} + AdaGrad (see {@link TribuoProbe}). */
        TRIBUO,
        /** {@link ExactLogisticRegression} with C = 1, sklearn's optimum. */
        EXACT
    }

    public ProbeOptions {
        if (minPositives < 1) {
            throw new IllegalArgumentException("minPositives must be >= 1, got " + minPositives);
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates (K) must be >= 1, got " + candidates);
        }
        if (!(trainFraction > 0) || !(valFraction > 0) || !(trainFraction + valFraction < 1)) {
            throw new IllegalArgumentException("need trainFraction > 0, valFraction > 0 and their sum < 1 (the rest is the"
                    + " test part), got " + trainFraction + " and " + valFraction);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        if (solver == null) {
            throw new IllegalArgumentException("solver must be TRIBUO or EXACT, got null");
        }
    }

    /** @return SPARC's settings with the Tribuo solver (20 epochs, AdaGrad 1.0, seed 12345). */
    public static ProbeOptions defaults() {
        return new ProbeOptions(50, 20, 0.70, 0.15, 1000, 2000, 3000, ProbeSolver.TRIBUO, 20, 1.0, 12345L);
    }

    /** @param n minPositives. @return a copy. */
    public ProbeOptions withMinPositives(int n) {
        return new ProbeOptions(n, candidates, trainFraction, valFraction, balanceSeed, trainSplitSeed, valSplitSeed,
                solver, epochs, learningRate, trainerSeed);
    }

    /** @param s solver. @return a copy. */
    public ProbeOptions withSolver(ProbeSolver s) {
        return new ProbeOptions(minPositives, candidates, trainFraction, valFraction, balanceSeed, trainSplitSeed,
                valSplitSeed, s, epochs, learningRate, trainerSeed);
    }

    /** @param e Tribuo SGD epochs. @return a copy. */
    public ProbeOptions withEpochs(int e) {
        return new ProbeOptions(minPositives, candidates, trainFraction, valFraction, balanceSeed, trainSplitSeed,
                valSplitSeed, solver, e, learningRate, trainerSeed);
    }
}
