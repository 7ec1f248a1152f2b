package org.tribuo.usae.pipeline;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.LinearCeiling;
import org.tribuo.usae.metrics.LinearCeilingReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation job: the R2 matrices (three formulas), L0 and dead latents on one range of a set's rows, and
 * optionally the linear ceiling of cross reconstruction, for a library user as for {@code usae eval}.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * Loads the model and opens the set once, then evaluates.
     * @param opts the options ({@code model} and {@code data} required).
     * @param log  progress lines.
     * @return what was measured.
     * @throws IllegalArgumentException in one line naming the option or file at fault.
     */
    public static EvaluationResult run(EvaluationOptions opts, PrintStream log) {
        opts.validate();
        UsaeModel model = ModelFiles.load(opts.model);
        if (opts.data == null) {
            throw new IllegalArgumentException("--data is required");
        }
        try (ActivationSet set = ActivationSets.open(opts.data)) {
            return run(model, set, opts, log);
        }
    }

    /**
     * @param model the model.
     * @param set   its activation set, open.
     * @param opts  the options (checked here).
     * @param log   progress lines.
     * @return what was measured.
     */
    public static EvaluationResult run(UsaeModel model, ActivationSet set, EvaluationOptions opts, PrintStream log) {
        opts.validate();
        long[] range = RowRange.resolve(opts.rows, model, set.rows());
        log.println("Rows [" + range[0] + ", " + range[1] + ") of " + (opts.data == null ? "the set" : opts.data));
        EvaluationReport report = ModelEvaluation.evaluate(model, set, range[0], range[1], opts.batchSize);
        LinearCeilingReport ceiling = opts.linearCeiling
                ? linearCeiling(model, set, range, opts.ridgeGrid(), opts.batchSize) : null;
        return new EvaluationResult(range[0], range[1], report, ceiling);
    }

    /** Fits on every row outside the evaluated range, so the ceiling sees the USAE's training rows and none it is scored on. */
    private static LinearCeilingReport linearCeiling(UsaeModel model, ActivationSet set, long[] range, double[] ridgeGrid,
                                                     int batchSize) {
        List<long[]> spans = new ArrayList<>();
        if (range[0] > 0) {
            spans.add(new long[]{0, range[0]});
        }
        if (range[1] < set.rows()) {
            spans.add(new long[]{range[1], set.rows()});
        }
        long fitRows = range[0] + (set.rows() - range[1]);
        if (fitRows < 2) {
            throw new IllegalArgumentException("--linear-ceiling: needs training rows outside --rows, but rows ["
                    + range[0] + ", " + range[1] + ") leave " + fitRows + " of " + set.rows());
        }
        return LinearCeiling.compute(set, model.modelNames(), spans.toArray(long[][]::new), range[0], range[1],
                ridgeGrid, LinearCeiling.DEFAULT_VALIDATION_FRACTION, batchSize);
    }
}
