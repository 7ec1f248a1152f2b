package org.tribuo.usae.examples;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.pipeline.Reporting;
import org.tribuo.usae.pipeline.ReportingOptions;
import org.tribuo.usae.pipeline.ReportingResult;

import java.nio.file.Path;

/**
 * Loads a saved model and writes the analysis report (one self-contained HTML page and analysis.json beside it):
 * the same pipeline {@code ./usae report} runs, called from Java with its options object.
 *
 * <p>{@code ./usae example report <model.usae> <activations folder> <report.html>}
 */
public final class ReportExample {
    private ReportExample() {
    }

    /** @param args the model file, an activation set of its models, the HTML page to write. */
    public static void main(String[] args) {
        UsaeModel model = ModelFiles.load(Path.of(args[0]));
        ReportingOptions opts = new ReportingOptions();
        opts.analysis.data = Path.of(args[1]);
        opts.analysis.rows = "all";
        opts.concepts = 4;
        try (ActivationSet set = ActivationSets.open(Path.of(args[1]))) {
            ReportingResult r = Reporting.run(model, set, opts, null, null, Path.of(args[2]), System.out);
            System.out.println("Concepts shown: " + java.util.Arrays.toString(r.concepts()));
        }
    }
}
