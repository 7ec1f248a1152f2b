package org.tribuo.usae.cli;

import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.cam.CamPictures;
import org.tribuo.usae.onnx.cam.CamTarget;
import org.tribuo.usae.onnx.cam.ConceptReadout;
import org.tribuo.usae.onnx.cam.Maco;
import org.tribuo.usae.onnx.cam.MacoOptions;
import org.tribuo.usae.onnx.cam.MacoResult;
import org.tribuo.usae.onnx.cam.PixelNormalization;
import org.tribuo.usae.onnx.extract.ImageBackboneSpec;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.report.HtmlReport;
import org.tribuo.usae.report.ImageTile;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code usae visualize}: coordinated activation maximisation (docs/cam.md). For each chosen concept and each
 * vision model of the USAE, MACO optimises an image that maximises the concept in that model's encoder; writes
 * {@code concept-<k>/<model>.png} and {@code <model>-attribution.png}, and {@code visualize.html} with one row per
 * concept. The backbones (network, tap, token policy, input size and normalisation) come from the extraction
 * config the activations were made with (-c).
 */
final class VisualizeCommand implements Usae.Command {
    /** Options of {@code usae visualize}. */
    public static final class VisualizeOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
        @Option(charName = 'o', longName = "output", usage = "Output folder (PNGs and visualize.html).")
        public Path output;
        @Option(longName = "extraction", usage = "Name of the extraction component in the config (default extraction).")
        public String extraction = "extraction";
        @Option(longName = "concepts", usage = "Concept ids, comma separated (e.g. 3,17).")
        public List<String> concepts;
        @Option(longName = "top-energy", usage = "Visualise the N concepts of highest energy on --data.")
        public int topEnergy = 0;
        @Option(longName = "universal", usage = "Visualise the N most energetic universal concepts on --data.")
        public int universal = 0;
        @Option(charName = 'd', longName = "data", usage = "Activation set for --top-energy / --universal.")
        public Path data;
        @Option(longName = "steps", usage = "MACO steps per image (MACO: 1000; default 256).")
        public int steps = 256;
        @Option(longName = "crops", usage = "Random crops per step (MACO: 6; default 4).")
        public int crops = 4;
        @Option(longName = "image-scale", usage = "Optimised image size as a multiple of the model input (default 2).")
        public int imageScale = 2;
        @Option(longName = "crop-min", usage = "Smallest crop side, fraction of the image side (default 0.5).")
        public double cropMin = 0.5;
        @Option(longName = "crop-max", usage = "Largest crop side fraction (default 0.8).")
        public double cropMax = 0.8;
        @Option(longName = "lr", usage = "NAdam learning rate on the phase (MACO: 1.0).")
        public double learningRate = 1.0;
        @Option(longName = "pixel-max", usage = "Raw value of white the preprocessors expect (default 255).")
        public float pixelMax = 255f;
        @Option(longName = "seed", usage = "Seed of the phase, crops and noise (default 1).")
        public long seed = 1;
        @Option(longName = "threads", usage = "ONNX Runtime intra-op threads (0 = all cores).")
        public int threads = 0;
    }

    @Override
    public String summary() {
        return "coordinated activation maximisation (MACO): one image per concept per model, PNGs + visualize.html";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        VisualizeOptions opts = new VisualizeOptions();
        if (!Arrays.asList(args).contains("-c") && !Arrays.asList(args).contains("--config-file")
                && !Arrays.asList(args).contains("--help") && !Arrays.asList(args).contains("-h")) {
            throw new CliException("-c <config.xml> is required: the extraction config of the model's activations, "
                    + "e.g. examples/configs/extract-ocr-mnist.xml");
        }
        ConfigurationManager cm = new ConfigurationManager(args, List.of(), opts, null, true);
        if (opts.output == null) {
            throw new CliException("--output is required");
        }
        OutputPaths.requireWritableFolder("--output", opts.output);
        UsaeModel model = ModelFiles.load(opts.model);
        Object c = cm.getComponentNames().contains(opts.extraction) ? cm.lookup(opts.extraction) : null;
        if (!(c instanceof ImageExtraction job)) {
            throw new CliException("component '" + opts.extraction + "' of the config is "
                    + (c == null ? "missing (it has " + cm.getComponentNames() + ")" : "a " + c.getClass().getName())
                    + "; expected an " + ImageExtraction.class.getName());
        }
        macoConfig(opts, 2, 2); // fails fast on bad steps/crops/fractions/lr, before any backbone is read
        int[] concepts = chooseConcepts(opts, model, out);
        Map<String, ImageBackboneSpec> specs = new LinkedHashMap<>();
        job.backbones().forEach(s -> specs.put(s.name(), s));
        Files.createDirectories(opts.output);
        Map<String, List<ImageTile>> rows = new LinkedHashMap<>();
        for (int k : concepts) {
            List<ImageTile> tiles = new ArrayList<>();
            Path dir = opts.output.resolve("concept-" + k);
            Files.createDirectories(dir);
            for (int i = 0; i < model.modelNames().size(); i++) {
                String name = model.modelNames().get(i);
                ImageBackboneSpec spec = specs.get(name);
                if (spec == null) {
                    throw new CliException("the USAE model has a model '" + name + "' but the extraction config has no"
                            + " backbone of that name; it has " + specs.keySet());
                }
                var pre = spec.preprocessor();
                CamTarget target = new CamTarget(name, spec.readModel(), spec.tap(), spec.policy(),
                        PixelNormalization.of(pre, opts.pixelMax), pre.height(), pre.width());
                MacoOptions cfg = macoConfig(opts, pre.height(), pre.width());
                ConceptReadout readout = ConceptReadout.of(model.parameters().model(i),
                        model.parameters().architecture().encoderBlock(), k);
                long t0 = System.nanoTime();
                MacoResult r;
                try (Maco m = new Maco(target, readout, cfg, opts.threads)) {
                    r = m.run();
                }
                byte[] image = CamPictures.imagePng(r);
                byte[] attribution = CamPictures.attributionPng(r);
                AtomicFiles.write(dir.resolve(name + ".png"), image);
                AtomicFiles.write(dir.resolve(name + "-attribution.png"), attribution);
                double[] trace = r.trace();
                out.printf("concept %d, %s: objective %.4f -> %.4f over %d steps (%.1f s)%n", k, name, trace[0],
                        trace[trace.length - 1], trace.length, (System.nanoTime() - t0) / 1e9);
                tiles.add(new ImageTile(name, image));
                tiles.add(new ImageTile(name + " attribution", attribution));
            }
            rows.put("Concept " + k, tiles);
        }
        HtmlReport.builder("USAE coordinated activation maximisation")
                .fact("model", String.valueOf(opts.model))
                .fact("concepts", Arrays.toString(concepts))
                .fact("MACO", opts.steps + " steps, " + opts.crops + " crops of " + opts.cropMin + "-" + opts.cropMax
                        + " of an image " + opts.imageScale + "x the model input, NAdam lr " + opts.learningRate
                        + ", seed " + opts.seed)
                .images(PANEL_HEADING, PANEL_HOW_TO_READ, rows)
                .write(opts.output.resolve("visualize.html"));
        out.println("Wrote " + opts.output.resolve("visualize.html"));
    }

    /** Heading of the image panel, in visualize.html and in usae report. */
    static final String PANEL_HEADING = "Coordinated activation maximisation";
    /** How to read the image panel. */
    static final String PANEL_HOW_TO_READ = "For each concept, one image per model, optimised so that"
            + " the concept's pre-activation (mean over the model's tokens) is maximal in that model's encoder;"
            + " the same concept id in every model. The grey map next to each image is the accumulated"
            + " input-gradient magnitude (MACO's attribution): bright where the objective looked.";

    /**
     * Reads back what {@code usae visualize -o dir} wrote, for {@code usae report --visualizations dir}.
     *
     * @param dir    the visualize output folder.
     * @param models the USAE's model names (the row order of each concept).
     * @return per concept ("Concept k", ascending k) its tiles: per model its image and attribution.
     * @throws CliException when the folder holds no concept-k folders or a model's image is missing.
     */
    static Map<String, List<ImageTile>> readPanel(Path dir, List<String> models) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            throw new CliException("--visualizations " + dir + ": no such folder (the -o of usae visualize)");
        }
        java.util.TreeMap<Integer, Path> concepts = new java.util.TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && n.matches("concept-\\d+")) {
                    concepts.put(Integer.parseInt(n.substring("concept-".length())), p);
                }
            }
        }
        if (concepts.isEmpty()) {
            throw new CliException("--visualizations " + dir + " has no concept-<k> folders; write them with usae visualize");
        }
        Map<String, List<ImageTile>> rows = new LinkedHashMap<>();
        for (var e : concepts.entrySet()) {
            List<ImageTile> tiles = new ArrayList<>();
            for (String name : models) {
                Path image = e.getValue().resolve(name + ".png");
                if (!Files.isRegularFile(image)) {
                    throw new CliException("--visualizations: " + image + " is missing (the folder was written for "
                            + "another model?)");
                }
                tiles.add(new ImageTile(name, Files.readAllBytes(image)));
                Path attribution = e.getValue().resolve(name + "-attribution.png");
                if (Files.isRegularFile(attribution)) {
                    tiles.add(new ImageTile(name + " attribution", Files.readAllBytes(attribution)));
                }
            }
            rows.put("Concept " + e.getKey(), tiles);
        }
        return rows;
    }

    /** MACO settings from the options for a model input of {@code h x w} (noise as MACO's, in [0, 1] units). */
    static MacoOptions macoConfig(VisualizeOptions opts, int h, int w) {
        if (opts.imageScale < 1) {
            throw new CliException("--image-scale must be >= 1, got " + opts.imageScale);
        }
        return new MacoOptions(opts.steps, opts.crops, opts.imageScale * h, opts.imageScale * w, opts.cropMin,
                opts.cropMax, 0.01, 0.005, opts.learningRate, opts.seed);
    }

    /** Concept ids from --concepts, or ranked on --data by energy or universality. */
    static int[] chooseConcepts(VisualizeOptions opts, UsaeModel model, PrintStream out) {
        int modes = (opts.concepts != null ? 1 : 0) + (opts.topEnergy > 0 ? 1 : 0) + (opts.universal > 0 ? 1 : 0);
        if (modes != 1) {
            throw new CliException("choose concepts with exactly one of --concepts, --top-energy N, --universal N");
        }
        int m = model.parameters().architecture().numLatents();
        if (opts.concepts != null) {
            String[] parts = opts.concepts.toArray(String[]::new);
            int[] ids = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    ids[i] = Integer.parseInt(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new CliException("--concepts: '" + parts[i] + "' is not a concept id");
                }
                if (ids[i] < 0 || ids[i] >= m) {
                    throw new CliException("--concepts: " + ids[i] + " is not in [0, " + m + ")");
                }
            }
            return ids;
        }
        if (opts.data == null) {
            throw new CliException("--top-energy and --universal rank concepts on activations: give --data <set>");
        }
        ConceptAnalysisResult a;
        try (ActivationSet set = NpyActivationSet.open(opts.data)) {
            a = ConceptAnalysis.run(model, set, 0, set.rows(), 4096, ConceptAnalysis.Options.DEFAULT);
        }
        if (opts.topEnergy > 0) {
            return Arrays.copyOf(a.stats().energyRank(), Math.min(opts.topEnergy, m));
        }
        int[] universal = a.selection().universal();
        if (universal.length == 0) {
            throw new NoUniversalConcept("no concept is universal on " + opts.data + " (criteria "
                    + a.selection().criteria() + "); use --top-energy or --concepts");
        }
        if (universal.length < opts.universal) {
            out.println("Only " + universal.length + " universal concepts; visualising all of them");
        }
        return Arrays.copyOf(universal, Math.min(opts.universal, universal.length));
    }

    /** --universal found no universal concept (callers such as usae vision fall back to --top-energy). */
    static final class NoUniversalConcept extends CliException {
        private static final long serialVersionUID = 1L;

        NoUniversalConcept(String message) {
            super(message);
        }
    }
}
