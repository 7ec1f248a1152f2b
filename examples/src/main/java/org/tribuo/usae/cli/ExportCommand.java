package org.tribuo.usae.cli;

import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.interop.SaeLensExport;
import org.tribuo.usae.interop.SaeLensExportCheck;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.export.UsaeOnnxExporter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code usae export}: dictionaries and encoders as float32 .npy files for numpy / PyTorch, and with
 * {@code --onnx} the whole forward pass as {@code <output>/usae.onnx} (see {@link UsaeOnnxExporter}).
 */
final class ExportCommand implements Usae.Command {
    /** Options of {@code usae export}. */
    public static final class ExportOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
        @Option(charName = 'o', longName = "output", usage = "Output folder (one sub-folder per model + export.json).")
        public Path output;
        @Option(longName = "format", usage = "npy (default: .npy files + export.json) or saelens (one SAELens folder "
                + "per model, cfg.json + sae_weights.safetensors, with the standardisation folded in, + usae.json).")
        public String format = "npy";
        @Option(longName = "check", usage = "saelens: run SAELens's forward on the folders and ours on the last "
                + "--check-rows rows of this activation set, and print where they differ.")
        public Path check;
        @Option(longName = "check-rows", usage = "Rows for --check (default 2000).")
        public int checkRows = 2000;
        @Option(longName = "onnx", usage = "Also write <output>/usae.onnx: raw activations in, TopK codes and every "
                + "cross-reconstruction out (ONNX opset " + UsaeOnnxExporter.OPSET + ").")
        public boolean onnx;
    }

    @Override
    public String summary() {
        return "write decoders, encoders and standardisation as .npy files + export.json, or SAELens folders "
                + "(--format saelens); --onnx: also usae.onnx";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        ExportOptions opts = new ExportOptions();
        new ConfigurationManager(BareFlags.expand(args, java.util.Set.of("--onnx")), opts, false);
        if (!opts.format.equals("npy") && !opts.format.equals("saelens")) {
            throw new CliException("--format must be npy or saelens, got '" + opts.format + "'");
        }
        if (opts.check != null && !opts.format.equals("saelens")) {
            throw new CliException("--check needs --format saelens");
        }
        if (opts.checkRows < 1) {
            throw new CliException("--check-rows must be >= 1, got " + opts.checkRows);
        }
        UsaeModel model = ModelFiles.load(opts.model);
        if (opts.output == null) {
            throw new CliException("--output is required");
        }
        OutputPaths.requireWritableFolder("--output", opts.output);
        switch (opts.format) {
            case "npy" -> {
                DictionaryExport.write(model, opts.output);
                out.println("Wrote " + opts.output.resolve("export.json") + " and per-model .npy files for " + model.modelNames());
            }
            case "saelens" -> {
                SaeLensExport.Result r = SaeLensExport.write(model, opts.output);
                out.println("Wrote SAELens folders " + r.folders().stream().map(p -> p.getFileName().toString()).toList()
                        + " and " + r.manifest() + " (latent j is the same concept in every folder)");
                for (String w : r.warnings()) {
                    out.println("warning: " + w);
                }
                if (opts.check != null) {
                    List<SaeLensExportCheck.ModelAgreement> agreement;
                    try (ActivationSet set = ActivationSets.open(opts.check)) {
                        agreement = SaeLensExportCheck.run(model, r,
                                ActivationSets.select(set, model.modelNames().toArray(String[]::new)), opts.checkRows);
                    }
                    if (agreement.isEmpty()) {
                        out.println("--check: not run; a joint selection is not one folder's forward (usae.json says how "
                                + "to combine the folders)");
                    }
                    agreement.forEach(a -> out.println("check " + a));
                }
            }
            default -> throw new IllegalStateException(opts.format);
        }
        if (opts.onnx) {
            Path onnx = opts.output.resolve("usae.onnx");
            UsaeOnnxExporter.write(model, onnx);
            out.println("Wrote " + onnx + " (inputs " + model.modelNames().stream().map(UsaeOnnxExporter::inputName)
                    .toList() + ", codes and cross-reconstructions as outputs)");
        }
    }
}
