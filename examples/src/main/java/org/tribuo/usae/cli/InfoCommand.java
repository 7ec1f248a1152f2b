package org.tribuo.usae.cli;

import org.tribuo.usae.model.ModelFiles;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code usae info}: the model's shape, per-model standardisation and full provenance. */
final class InfoCommand implements Usae.Command {
    /** Options of {@code usae info}. */
    public static final class InfoOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
    }

    @Override
    public String summary() {
        return "show a model's architecture, models, parameter count and provenance";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        InfoOptions opts = new InfoOptions();
        new ConfigurationManager(args, opts, false);
        UsaeModel model = ModelFiles.load(opts.model);
        out.println(model.parameters().architecture());
        long total = 0;
        out.println(String.format("%-16s %6s %12s %12s %12s", "model", "dim", "mu", "sigma", "parameters"));
        for (ModelParameters p : model.parameters().models()) {
            long n = p.trainable().values().stream().mapToLong(v -> v.length).sum();
            total += n;
            out.println(String.format("%-16s %6d %12.6f %12.6f %,12d", p.name(), p.dim(), p.mu(), p.sigma(), n));
        }
        out.println(String.format("total trainable parameters: %,d%n", total));
        out.println("Provenance:");
        out.println(ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
    }
}
