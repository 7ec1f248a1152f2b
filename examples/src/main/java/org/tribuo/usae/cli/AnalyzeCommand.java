package org.tribuo.usae.cli;

import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.pipeline.AnalysisOptions;
import org.tribuo.usae.pipeline.AnalysisResult;
import org.tribuo.usae.pipeline.Analysis;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.AtomicFiles;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code usae analyze}: the paper's analyses and SPARC's label metrics on rows of a set, as text and one
 * JSON file ({@code analysis.json} next to the model unless {@code --json} says otherwise).
 */
final class AnalyzeCommand implements Usae.Command {
    /** Options of {@code usae analyze}. */
    public static final class AnalyzeOptions implements Options {
        public AnalysisOptions analysis = new AnalysisOptions();
        @Option(longName = "json", usage = "Where to write the JSON (default: analysis.json in the model's folder).")
        public Path json;
    }

    @Override
    public String summary() {
        return "energy, firing, co-firing, entropy, dead concepts, consistency, Jaccard, probes, purity (JSON)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        AnalyzeOptions opts = new AnalyzeOptions();
        new ConfigurationManager(BareFlags.expand(args, AnalysisOptions.FLAGS), opts, false);
        opts.analysis.validate();
        Path json = opts.json != null ? opts.json : ModelFiles.folderOf(opts.analysis.model).resolve("analysis.json");
        OutputPaths.requireWritableFile("--json", json);
        AnalysisResult result = Analysis.run(opts.analysis, out);
        out.println(result.toText());
        AtomicFiles.writeString(json, result.toJson());
        out.println("Wrote " + json);
    }
}
