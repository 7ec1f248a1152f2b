package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.metrics.TraceCriteria;
import org.tribuo.usae.metrics.labels.Pooling;
import org.tribuo.usae.metrics.labels.ProbeOptions;

import java.nio.file.Path;

/**
 * The options of an {@link Analysis}, as OLCUT options (so a command line or a config file sets them by flag, and a
 * program by field): the model and data, which rows, thresholds, baselines, labels. {@code usae analyze} and
 * {@code usae report} take them as they are.
 */
public final class AnalysisOptions implements Options {
    /** The boolean options, which a command line gives bare (no value). */
    public static final java.util.Set<String> FLAGS = java.util.Set.of("--baselines", "--no-labels");

    @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
    public Path model;
    @Option(charName = 'd', longName = "data", usage = "Activation set folder (labels.npy + label_names.txt next to it "
            + "enable the label metrics).")
    public Path data;
    @Option(longName = "rows", usage = "Rows to analyse as FROM:TO, or 'all' (default: the held-out rows the model's "
            + "trainer left out, else all rows).")
    public String rows;
    @Option(longName = "batch-size", usage = "Rows per batch (energy and the official R2 average per batch; default 4096).")
    public int batchSize = 4096;
    @Option(longName = "threshold", usage = "Firing threshold tau (official 0.1).")
    public double threshold = 0.1;
    @Option(longName = "min-cofires", usage = "Second co-fire vs energy fit keeps concepts with >= this many co-fires "
            + "(>= 1; paper 1000).")
    public long minCoFires = 1000;
    @Option(longName = "min-trace", usage = "Trace labels: a concept is present in a model when the model's activations "
            + "move by >= this many standard deviations along its direction where another model fires it (> 0; "
            + "default 0.75; docs/metrics.md, \"Concept traces\").")
    public double minTrace = TraceCriteria.DEFAULT.minTrace();
    @Option(longName = "baselines", usage = "Train one independent SAE per model with the model's own recipe and compare "
            + "dictionaries (Hungarian matching).")
    public boolean baselines;
    @Option(longName = "baseline-steps", usage = "Override the baselines' training steps (default: the recipe's).")
    public String baselineSteps;
    @Option(longName = "hierarchy", usage = "Label hierarchy for the Jaccard alignment: child<TAB>parent lines (.tsv) or "
            + "Open Images' bbox_labels_600_hierarchy.json.")
    public Path hierarchy;
    @Option(longName = "pooling", usage = "How an input's token codes become one code for the label metrics: MAX or MEAN.")
    public String pooling = "MAX";
    @Option(longName = "probe-solver", usage = "1-D probe fitter: TRIBUO (Tribuo's logistic regression, default) or EXACT "
            + "(L2, C=1, sklearn's optimum).")
    public String probeSolver = "TRIBUO";
    @Option(longName = "min-positives", usage = "A label is a probe task when it has more than this many positive inputs "
            + "(>= 1; SPARC 50).")
    public int minPositives = 50;
    @Option(longName = "no-labels", usage = "Skip the label metrics even when the set has labels.")
    public boolean noLabels;

    /**
     * Checks every option's value, so that a bad one fails in one line before the model is read or any
     * analysis runs.
     *
     * @throws IllegalArgumentException naming the first bad option, its value as typed and what it expects.
     */
    public void validate() {
        OptionChecks.atLeast("--batch-size", batchSize, 1, "a count", "default 4096");
        OptionChecks.finiteNonNegative("--threshold", threshold, "the official code uses 0.1");
        // a concept needs a co-fire to be on the fit's log axis, so 1 already keeps them all
        OptionChecks.atLeast("--min-cofires", minCoFires, 1, "a count", "1 keeps every co-firing concept; the paper uses 1000");
        OptionChecks.finitePositive("--min-trace", minTrace, "the default 0.75 separates shared from model-specific "
                + "concepts on the hard planted suite");
        // the probe counts a label when MORE than this many inputs carry it; the library's minimum is 1
        OptionChecks.atLeast("--min-positives", minPositives, 1, "a count", "SPARC uses 50");
        baselineStepsOverride();
        poolingMode();
        solver();
        RowRange.check(rows);
    }

    /** @return {@code --baseline-steps} as checked text for the trainer override, or null when not given. */
    public String baselineStepsOverride() {
        return baselineSteps == null ? null : String.valueOf(OptionChecks.positiveInteger("--baseline-steps",
                baselineSteps, "training steps of each baseline SAE"));
    }

    /** @return {@code --pooling} as its enum constant. */
    public Pooling poolingMode() {
        return OptionChecks.oneOf("--pooling", pooling, Pooling.class);
    }

    /** @return {@code --probe-solver} as its enum constant. */
    public ProbeOptions.ProbeSolver solver() {
        return OptionChecks.oneOf("--probe-solver", probeSolver, ProbeOptions.ProbeSolver.class);
    }
}
