package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code usae export}: dictionaries and encoders as float32 .npy files for numpy / PyTorch. */
final class ExportCommand implements Usae.Command {
    /** Options of {@code usae export}. */
    public static final class ExportOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
        @Option(charName = 'o', longName = "output", usage = "Output folder (one sub-folder per model + export.json).")
        public Path output;
    }

    @Override
    public String summary() {
        return "write decoders, encoders and standardisation as .npy files + export.json";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        ExportOptions opts = new ExportOptions();
        new ConfigurationManager(args, opts, false);
        UsaeModel model = ModelFiles.load(opts.model);
        if (opts.output == null) {
            throw new CliException("--output is required");
        }
        DictionaryExport.write(model, opts.output);
        out.println("Wrote " + opts.output.resolve("export.json") + " and per-model .npy files for " + model.modelNames());
    }
}
