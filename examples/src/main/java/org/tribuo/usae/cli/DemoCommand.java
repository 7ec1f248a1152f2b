package org.tribuo.usae.cli;

import org.tribuo.usae.pipeline.Training;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSetWriter;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.ConceptRecovery;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.synth.RecoveryResult;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code usae demo}: the main job on the embedded default. Generates aligned activations of three
 * models that share planted concepts through different random maps (plus private concepts and
 * noise), writes them as a numpy-compatible activation set, trains with the embedded config,
 * evaluates on held-out rows, measures how many planted concepts one latent captures in every
 * model, and exports the dictionaries as .npy.
 */
final class DemoCommand implements Usae.Command {
    static final String CONFIG = "/org/tribuo/usae/cli/demo-trainer.xml";

    /** Options of {@code usae demo}. */
    public static final class DemoOptions implements Options {
        @Option(charName = 'o', longName = "output", usage = "Output folder (default: usae-demo).")
        public Path output = Path.of("usae-demo");
        @Option(longName = "rows", usage = "Rows (tokens) to generate (default 16384).")
        public long rows = 16384;
        @Option(longName = "steps", usage = "Override the embedded config's training steps.")
        public String steps;
        @Option(longName = "recipe", usage = "Override the embedded config's recipe: a built-in recipe (`usae recipes` lists them) or a recipe file.")
        public String recipe;
    }

    @Override
    public String summary() {
        return "generate a planted-concept set, train, evaluate and export (the embedded default job)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        DemoOptions opts = new DemoOptions();
        new ConfigurationManager(args, opts, false);
        OutputPaths.requireWritableFolder("--output", opts.output);
        PlantedOptions pc = PlantedOptions.demo().withRows(opts.rows);
        PlantedData planted = PlantedConcepts.generate(pc);
        Path dataDir = opts.output.resolve("data");
        clearDemoData(dataDir);
        ActivationSetWriter.write(new InMemoryActivationSet(List.of(planted.names()), planted.dims(), planted.x()),
                dataDir, 4096);
        writeLabels(planted, dataDir);
        out.println("Generated " + planted.rows() + " tokens of 3 models " + List.of(planted.names()) + " (widths "
                + java.util.Arrays.toString(planted.dims()) + ") sharing " + pc.sharedConcepts()
                + " planted concepts, " + pc.privateConceptsPerModel() + " private concepts each; wrote " + dataDir
                + " (labels.npy: each token's strongest planted concept, for the label metrics of usae analyze)");

        ConfigurationManager cm = new ConfigurationManager(DemoCommand.class.getResource(CONFIG));
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        if (opts.steps != null) {
            overrides.put("steps", opts.steps);
        }
        if (opts.recipe != null) {
            overrides.put("recipe", org.tribuo.usae.train.Recipes.builtIn(opts.recipe).orElse(opts.recipe));
        }
        UsaeTrainer trainer = Training.trainer(cm, "demo-trainer", overrides);
        trainer.addListener(new ProgressBar(System.err));
        out.println(trainer);
        try (ActivationSet set = NpyActivationSet.open(dataDir)) {
            UsaeModel model = trainer.train(set);
            Path modelDir = opts.output.resolve("model");
            Training.writeOutputs(model, trainer, set, modelDir, out);
            float[][] dicts = new float[planted.numModels()][];
            for (int i = 0; i < dicts.length; i++) {
                dicts[i] = model.parameters().model(i).normalizedDictionary();
            }
            RecoveryResult r = ConceptRecovery.recover(dicts, planted.dims(), planted.sharedDirections());
            long recovered = Math.round(r.recoveredFraction() * pc.sharedConcepts());
            out.printf("Planted concept recovery: %d of %d shared concepts (%.0f%%) found in ONE latent whose decoder "
                    + "rows have cosine >= %.2f with the concept in all %d models%n", recovered, pc.sharedConcepts(),
                    100 * r.recoveredFraction(), r.threshold(), planted.numModels());
            Path exportDir = opts.output.resolve("export");
            DictionaryExport.write(model, exportDir);
            out.println("Exported dictionaries to " + exportDir + " (numpy: np.load('" + exportDir
                    + "/" + planted.names()[0] + "/decoder.npy'))");
        }
    }

    /** Ground truth as labels: each token (= input) is labelled with its strongest shared concept. */
    private static void writeLabels(PlantedData planted, Path dataDir) {
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < planted.sharedConcepts(); c++) {
            names.add(String.format(java.util.Locale.ROOT, "concept_%02d", c));
        }
        long[] ids = java.util.Arrays.stream(planted.strongestShared()).asLongStream().toArray();
        InputLabelFile.write(dataDir, names, ids);
    }

    /** Removes a previous demo's data set (only its own files), since the writer wants an empty folder. */
    private static void clearDemoData(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".npy") || n.equals("manifest.json") || n.equals(InputLabelFile.NAMES_FILE)) {
                    Files.delete(f);
                }
            }
        }
    }
}
