package org.tribuo.usae.cli;

import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.onnx.extract.BackboneException;
import org.tribuo.usae.onnx.extract.ExtractionJob;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.extract.InputLabels;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code usae extract}: runs the backbones an OLCUT config describes ({@link ImageExtraction}) over
 * its inputs and writes an aligned activation set ({@code <model>.npy}, {@code row_index.npy},
 * {@code manifest.json}, {@code labels.npy}). Field overrides: {@code --@<component>.<field> value}.
 */
final class ExtractCommand implements Usae.Command {
    /** Options of {@code usae extract}. */
    public static final class ExtractOptions implements Options {
        @Option(charName = 'o', longName = "output", usage = "Output activation set folder (must be new or empty).")
        public Path output;
        @Option(longName = "extraction", usage = "Name of the extraction component in the config (default extraction).")
        public String extraction = "extraction";
    }

    @Override
    public String summary() {
        return "run ONNX backbones over labelled inputs (OLCUT config, -c) into an aligned activation set";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        ExtractOptions opts = new ExtractOptions();
        if (!Arrays.asList(args).contains("-c") && !Arrays.asList(args).contains("--config-file")
                && !Arrays.asList(args).contains("--help") && !Arrays.asList(args).contains("-h")) {
            throw new CliException("-c <config.xml> is required, e.g. examples/configs/extract-ocr-mnist.xml");
        }
        // --@<component>.<field> value: applied after the config file is loaded (OLCUT 5.3 resolves
        // its own overrides before the file, so they could only name built-in components)
        List<String> rest = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--@")) {
                String key = args[i].substring(3);
                if (!key.contains(".") || i + 1 >= args.length) {
                    throw new CliException(args[i] + ": expected --@<component>.<field> <value>");
                }
                overrides.put(key, args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        ConfigurationManager cm = new ConfigurationManager(rest.toArray(String[]::new), List.of(), opts, null, true);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String component = e.getKey().substring(0, e.getKey().indexOf('.'));
            if (!cm.getComponentNames().contains(component)) {
                throw new CliException("--@" + e.getKey() + ": the config file has no component '" + component + "'; it has "
                        + cm.getComponentNames());
            }
            cm.overrideConfigurableProperty(component, e.getKey().substring(component.length() + 1), new SimpleProperty(e.getValue()));
        }
        if (opts.output == null) {
            throw new CliException("--output is required");
        }
        OutputPaths.requireWritableFolder("--output", opts.output);
        if (!cm.getComponentNames().contains(opts.extraction)) {
            throw new CliException("the config file has no component named '" + opts.extraction + "'; it has "
                    + cm.getComponentNames() + " (choose one with --extraction)");
        }
        Object c = cm.lookup(opts.extraction);
        if (!(c instanceof ImageExtraction job)) {
            throw new CliException("component '" + opts.extraction + "' is a " + (c == null ? "null" : c.getClass().getName())
                    + ", expected " + ImageExtraction.class.getName());
        }
        out.println("Extracting into " + opts.output + " with " + job.backbones().size() + " backbones from " + job.source().describe());
        for (var b : job.backbones()) {
            out.println("  " + b);
        }
        long t0 = System.nanoTime();
        ExtractionJob.Summary s;
        try {
            s = job.run(opts.output, progress(System.err, t0));
        } catch (BackboneException e) {
            throw new CliException(e.getMessage());
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        String extra = (Files.exists(opts.output.resolve(InputLabels.FILE)) ? ", " + InputLabels.FILE : "")
                + (Files.exists(opts.output.resolve(ImageExtraction.LABEL_NAMES)) ? ", " + ImageExtraction.LABEL_NAMES : "")
                + (Files.exists(opts.output.resolve(ImageExtraction.LABEL_HIERARCHY)) ? ", " + ImageExtraction.LABEL_HIERARCHY : "");
        if (job.minForeground() > 0) {
            out.printf(Locale.ROOT, "Foreground tokens: minForeground %s kept %d of %d tokens (%d dropped, %.1f%%); %d inputs kept no token%n",
                    job.minForeground(), s.rows(), s.inputs() * s.tokensPerInput(), s.droppedTokens(),
                    100.0 * s.droppedTokens() / Math.max(1, s.inputs() * s.tokensPerInput()), s.emptyInputs());
        }
        out.printf("Wrote %s: %d inputs x %d tokens = %d rows, widths %s%s; %.1f s (%.0f inputs/s)%n",
                opts.output, s.inputs(), s.tokensPerInput(), s.rows(), Arrays.toString(s.dims()), extra, sec, s.inputs() / sec);
    }

    /** A progress line on standard error, at most five times a second on a terminal, every 10% in a log. */
    static ExtractionJob.Progress progress(PrintStream err, long t0) {
        boolean terminal = System.console() != null;
        long[] last = {0L, -1L};
        return (done, total, rows) -> {
            long now = System.nanoTime();
            boolean end = done == total;
            long pct = 100 * done / total;
            if (!end && (terminal ? now - last[0] < 200_000_000L : pct / 10 == last[1] / 10)) {
                return;
            }
            last[0] = now;
            last[1] = pct;
            double sec = (now - t0) / 1e9;
            int filled = (int) (28 * done / total);
            String bar = "=".repeat(filled) + (filled < 28 ? ">" + " ".repeat(28 - filled - 1) : "");
            String line = String.format("[%s] %3d%% %d/%d inputs  %,d rows  %.0f inputs/s  %s %s", bar, pct, done, total, rows,
                    done / Math.max(sec, 1e-9), end ? "took" : "eta", ProgressBar.duration(end ? sec : sec / done * (total - done)));
            if (terminal) {
                err.print("\r" + line + (end ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        };
    }
}
