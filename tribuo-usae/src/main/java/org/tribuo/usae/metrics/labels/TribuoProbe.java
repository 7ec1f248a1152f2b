package org.tribuo.usae.metrics.labels;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.AbstractSGDTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A 1-feature logistic probe fitted with Tribuo: {@code LinearSGDTrainer} with the {@code LogMulticlass}
 * objective (softmax over the two labels + bias = logistic regression) and AdaGrad, i.e.
 * {@code LogisticRegressionTrainer} with configurable epochs, learning rate and seed.
 * <p>
 * Why not an L2 term: Tribuo 4.3's linear SGD has no regulariser except through the Pegasos
 * optimiser, whose 1/(λt) steps with sklearn's tiny λ = 1/(n·C) are unstable, and which would also
 * penalise the bias (sklearn does not). On one feature with n ≥ 100 samples the C = 1 penalty
 * {@code 0.5 w²} is small next to the n log-loss terms, and the finite SGD run keeps w finite on
 * separable data; {@code LinearProbeTest} bounds the gap to the exact C = 1 optimum. The feature is
 * divided by its largest training magnitude first (logistic regression is invariant to it without a
 * penalty; it makes AdaGrad's step size independent of the code scale).
 */
public final class TribuoProbe {
    private static final String FEATURE = "latent";
    private static final LabelFactory FACTORY = new LabelFactory();
    /** Positive class name. */
    public static final String POSITIVE = "1";
    /**
     * Tribuo logs every train call at INFO ("Training SGD model with n examples"); a probe run trains
     * thousands of tiny models. Held in a field so the level setting is not garbage-collected.
     */
    private static final Logger SGD_LOGGER = Logger.getLogger(AbstractSGDTrainer.class.getName());

    static {
        if (SGD_LOGGER.getLevel() == null || SGD_LOGGER.getLevel().intValue() < Level.WARNING.intValue()) {
            SGD_LOGGER.setLevel(Level.WARNING);
        }
    }

    private final Model<Label> model;
    private final double scale;

    private TribuoProbe(Model<Label> model, double scale) {
        this.model = model;
        this.scale = scale;
    }

    /**
     * @param x       feature per training sample.
     * @param y       label per sample; both classes must occur.
     * @param options epochs, learning rate, seed.
     * @return the fitted probe.
     */
    public static TribuoProbe fit(double[] x, boolean[] y, ProbeOptions options) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        double scale = max > 0 ? 1 / max : 1;
        // loggingInterval -1: no per-iteration logging; minibatch 1 as LogisticRegressionTrainer.
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(options.learningRate(), 0.1),
                options.epochs(), -1, 1, options.trainerSeed());
        return new TribuoProbe(trainer.train(dataset(x, y, scale, "probe-train")), scale);
    }

    private static MutableDataset<Label> dataset(double[] x, boolean[] y, double scale, String name) {
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(name, FACTORY), FACTORY);
        for (int i = 0; i < x.length; i++) {
            ds.add(new ArrayExample<>(new Label(y[i] ? POSITIVE : "0"), new String[]{FEATURE},
                    new double[]{x[i] * scale}));
        }
        return ds;
    }

    /** @param x feature. @return P(y = 1 | x) from the Tribuo model's output scores. */
    public double probability(double x) {
        ArrayExample<Label> e = new ArrayExample<>(FACTORY.getUnknownOutput(), new String[]{FEATURE}, new double[]{x * scale});
        return model.predict(e).getOutputScores().get(POSITIVE).getScore();
    }

    /** @param x features. @return P(y = 1) per sample. */
    public double[] probabilities(double[] x) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = probability(x[i]);
        }
        return p;
    }

    /**
     * @param x test features.
     * @param y test labels.
     * @return Tribuo's evaluation (accuracy, AUC of {@link #POSITIVE}, ...).
     */
    public LabelEvaluation evaluate(double[] x, boolean[] y) {
        return new LabelEvaluator().evaluate(model, dataset(x, y, scale, "probe-test"));
    }

    /** @return the Tribuo model (feature "latent", pre-scaled by {@link #scale()}). */
    public Model<Label> model() {
        return model;
    }

    /** @return factor applied to the raw activation before the model sees it. */
    public double scale() {
        return scale;
    }

    /** @return the positive label object, for {@code LabelEvaluation.AUCROC}. */
    public static Label positiveLabel() {
        return new Label(POSITIVE);
    }
}
