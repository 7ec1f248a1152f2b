package org.tribuo.usae.cli;

import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code usae eval}: the R2 matrix (three formulas), L0 and dead latents on rows of a set. */
final class EvalCommand implements Usae.Command {
    /** Options of {@code usae eval}. */
    public static final class EvalOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
        @Option(charName = 'd', longName = "data", usage = "Activation set folder.")
        public Path data;
        @Option(longName = "rows", usage = "Rows to evaluate as FROM:TO or 'all' (default: the held-out rows the model's "
                + "trainer left out, else all rows).")
        public String rows;
        @Option(longName = "batch-size", usage = "Rows per batch (the official R2 averages per batch; default 4096).")
        public int batchSize = 4096;
        @Option(longName = "json", usage = "Also write the report as JSON to this file.")
        public Path json;
    }

    @Override
    public String summary() {
        return "print the M x M reconstruction R2 matrix, L0 and dead latents (JSON with --json)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        EvalOptions opts = new EvalOptions();
        new ConfigurationManager(args, opts, false);
        RowRange.check(opts.rows);
        if (opts.json != null) {
            OutputPaths.requireWritableFile("--json", opts.json);
        }
        UsaeModel model = ModelFiles.load(opts.model);
        if (opts.data == null) {
            throw new CliException("--data is required");
        }
        try (ActivationSet set = ActivationSets.open(opts.data)) {
            long[] range = RowRange.resolve(opts.rows, model, set.rows());
            EvaluationReport report = ModelEvaluation.evaluate(model, set, range[0], range[1], opts.batchSize);
            out.println("Rows [" + range[0] + ", " + range[1] + ") of " + opts.data);
            out.println(report.toText());
            if (opts.json != null) {
                AtomicFiles.writeString(opts.json, report.toJson());
                out.println("Wrote " + opts.json);
            }
        }
    }
}
