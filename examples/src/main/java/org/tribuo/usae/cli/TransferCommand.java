package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.features.ConceptTransfer;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.metrics.labels.LabelTable;
import org.tribuo.usae.metrics.labels.Pooling;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code usae transfer}: a Tribuo logistic regression (LinearSGDTrainer with the multiclass log loss, as Tribuo's
 * LogisticRegressionTrainer, with the epochs and seed as options) trained on one network's concept features of some inputs,
 * tested on every network's concept features of the others ({@link ConceptTransfer}).
 */
final class TransferCommand implements Usae.Command {
    /** Held so the level set on it is not lost to garbage collection. */
    private static final java.util.logging.Logger QUIET_TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");

    /** Options of {@code usae transfer}. */
    public static final class TransferOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
        @Option(charName = 'd', longName = "data", usage = "Activation set with a row index and labels.npy + "
                + "label_names.txt (one label per input).")
        public Path data;
        @Option(longName = "pooling", usage = "How an input's tokens pool: MAX (default) or MEAN.")
        public Pooling pooling = Pooling.MAX;
        @Option(longName = "train-fraction", usage = "Share of the labelled inputs trained on (default 0.8).")
        public double trainFraction = 0.8;
        @Option(longName = "seed", usage = "Seed of the split and of the classifier (default 1).")
        public long seed = 1;
        @Option(longName = "epochs", usage = "Logistic regression epochs (default 10).")
        public int epochs = 10;
    }

    @Override
    public String summary() {
        return "train a classifier on one network's concepts, test it on every network's concepts of other inputs";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        TransferOptions opts = new TransferOptions();
        new ConfigurationManager(args, opts, false);
        if (opts.data == null) {
            throw new CliException("--data is required (an activation set with labels.npy)");
        }
        if (!(opts.trainFraction > 0 && opts.trainFraction < 1)) {
            throw new CliException("--train-fraction must be in (0, 1), got " + opts.trainFraction);
        }
        if (opts.epochs < 1) {
            throw new CliException("--epochs must be >= 1, got " + opts.epochs);
        }
        UsaeModel model = ModelFiles.load(opts.model);
        // Tribuo's SGD trainers log every 1,000 iterations at INFO; the table is the output
        QUIET_TRIBUO.setLevel(java.util.logging.Level.WARNING);
        LabelTable labels = InputLabelFile.read(opts.data).orElseThrow(() -> new CliException(opts.data
                + " has no " + InputLabelFile.LABELS_FILE + "; transfer needs one label per input"));
        ConceptTransfer.Result r;
        try (ActivationSet set = ActivationSets.open(opts.data)) {
            r = ConceptTransfer.run(model, ActivationSets.select(set, model.modelNames().toArray(String[]::new)), labels,
                    opts.pooling, opts.trainFraction, opts.seed,
                    new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), opts.epochs, opts.seed));
        }
        out.printf(Locale.ROOT, "Concept transfer: logistic regression on %s-pooled concept features, %d inputs trained on, "
                        + "%d tested on, %d labels (always guessing the most frequent: %.3f)%n", opts.pooling,
                r.trainInputs(), r.testInputs(), r.classes(), r.majority());
        out.println("Accuracy (row = the network whose concepts trained the classifier, column = the network whose "
                + "concepts of the test inputs it read):");
        out.print(r.table());
    }
}
