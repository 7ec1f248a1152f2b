package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.metrics.LinearCeiling;

import java.nio.file.Path;

/**
 * The options of an {@link Evaluation}, as OLCUT options: the model and data, which rows, and the optional linear
 * ceiling. {@code usae eval} takes them as they are.
 */
public final class EvaluationOptions implements Options {
    /** The boolean options, which a command line gives bare (no value). */
    public static final java.util.Set<String> FLAGS = java.util.Set.of("--linear-ceiling");

    @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
    public Path model;
    @Option(charName = 'd', longName = "data", usage = "Activation set folder.")
    public Path data;
    @Option(longName = "rows", usage = "Rows to evaluate as FROM:TO or 'all' (default: the held-out rows the model's "
            + "trainer left out, else all rows).")
    public String rows;
    @Option(longName = "batch-size", usage = "Rows per batch (the official R2 averages per batch; default 4096).")
    public int batchSize = 4096;
    @Option(longName = "linear-ceiling", usage = "Also fit the ridge least-squares affine map between every ordered "
            + "pair of models on the rows outside --rows and print its held-out R2 (the linear ceiling) and "
            + "USAE / ceiling per pair.")
    public boolean linearCeiling;
    @Option(longName = "ceiling-ridge", usage = "The linear ceiling's ridge, relative to the mean diagonal of the "
            + "source's Gram matrix: a number, or 'auto' (default) to choose per pair among 1e-6 .. 100 on the last "
            + "10% of the training rows.")
    public String ceilingRidge = "auto";

    /**
     * Checks every option's value before the model is read.
     * @throws IllegalArgumentException naming the first bad option, its value and what it expects.
     */
    public void validate() {
        OptionChecks.atLeast("--batch-size", batchSize, 1, "a count", "default 4096");
        ridgeGrid();
        RowRange.check(rows);
    }

    /** @return the ridges {@code --ceiling-ridge} names: the default grid for 'auto', else the one number. */
    public double[] ridgeGrid() {
        if ("auto".equalsIgnoreCase(ceilingRidge.strip())) {
            return LinearCeiling.DEFAULT_RIDGE_GRID.clone();
        }
        double ridge;
        try {
            ridge = Double.parseDouble(ceilingRidge.strip());
        } catch (NumberFormatException e) {
            ridge = Double.NaN;
        }
        if (!(ridge > 0) || Double.isInfinite(ridge)) {
            throw OptionChecks.bad("--ceiling-ridge", "'" + ceilingRidge + "'", "is neither 'auto' nor a positive number",
                    "'auto' or a ridge > 0 relative to the mean Gram diagonal (e.g. 0.1)");
        }
        return new double[]{ridge};
    }
}
