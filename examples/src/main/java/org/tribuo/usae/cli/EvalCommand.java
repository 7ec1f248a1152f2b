package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.pipeline.Evaluation;
import org.tribuo.usae.pipeline.EvaluationOptions;
import org.tribuo.usae.pipeline.EvaluationResult;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code usae eval}: the evaluation job ({@link Evaluation}) on rows of a set, as text and optional JSON. */
final class EvalCommand implements Usae.Command {
    /** Options of {@code usae eval}. */
    public static final class EvalOptions implements Options {
        public EvaluationOptions evaluation = new EvaluationOptions();
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
        new ConfigurationManager(BareFlags.expand(args, EvaluationOptions.FLAGS), opts, false);
        opts.evaluation.validate();
        if (opts.json != null) {
            OutputPaths.requireWritableFile("--json", opts.json);
        }
        EvaluationResult result = Evaluation.run(opts.evaluation, out);
        out.println(result.toText());
        if (opts.json != null) {
            AtomicFiles.writeString(opts.json, result.toJson());
            out.println("Wrote " + opts.json);
        }
    }
}
