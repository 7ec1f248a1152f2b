package org.tribuo.usae.cli;

import org.tribuo.usae.pipeline.Training;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.model.DictionaryExport;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.onnx.text.TextEncoder;
import org.tribuo.usae.onnx.text.TextExtraction;
import org.tribuo.usae.onnx.text.TextModel;
import org.tribuo.usae.onnx.text.WordNetGlosses;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code usae real}: the main job on real models and data. WordNet 3.1 noun glosses (a balanced,
 * seeded subset per supersense) through three pretrained sentence encoders that share one WordPiece
 * vocabulary (all-MiniLM-L6-v2, bge-small-en-v1.5, e5-small-v2; the quantized ONNX exports from Maven
 * Central), one row per real token per model; trains a USAE (ALIGNED) on the tokens and evaluates it
 * on held-out glosses: the R2 matrix, dead latents and co-firing across the three models; then writes the
 * analysis report ({@code usae report}) of all glosses.
 */
final class RealCommand implements Usae.Command {
    static final String CONFIG = "/org/tribuo/usae/cli/real-trainer.xml";

    /** Options of {@code usae real}. */
    public static final class RealOptions implements Options {
        @Option(charName = 'o', longName = "output", usage = "Output folder (default: usae-real).")
        public Path output = Path.of("usae-real");
        @Option(longName = "per-supersense", usage = "Glosses per WordNet noun supersense (26 of them; default 80).")
        public int perSupersense = 80;
        @Option(longName = "models", usage = "Comma-separated text models (default minilm,bge,e5).")
        public List<String> models = List.of("minilm", "bge", "e5");
        @Option(longName = "layer", usage = "Layer to tap, 0-based, or -1 for last_hidden_state (default -1).")
        public int layer = -1;
        @Option(longName = "threads", usage = "ONNX Runtime threads (default: all cores).")
        public int threads = Runtime.getRuntime().availableProcessors();
        @Option(longName = "steps", usage = "Override the embedded config's training steps.")
        public String steps;
        @Option(longName = "latents", usage = "Override the embedded config's latents m.")
        public String latents;
        @Option(charName = 'k', longName = "k", usage = "Override the embedded config's k.")
        public String k;
        @Option(longName = "seed", usage = "Seed of the gloss sample and its order (default 1).")
        public long seed = 1;
    }

    @Override
    public String summary() {
        return "real data: WordNet glosses through MiniLM, BGE and E5 (ONNX), train, evaluate (the main job)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        RealOptions opts = new RealOptions();
        new ConfigurationManager(args, opts, false);
        long t0 = System.nanoTime();
        OutputPaths.requireWritableFolder("--output", opts.output);
        if (opts.perSupersense < 1) {
            throw new CliException("--per-supersense must be >= 1, got " + opts.perSupersense);
        }
        List<TextModel> models = opts.models.stream().map(String::strip).map(TextModel::byName).toList();

        // 1. data: a balanced seeded subset of noun glosses, shuffled so the held-out tail mixes supersenses
        List<WordNetGlosses.Gloss> glosses = new ArrayList<>(
                WordNetGlosses.sample(WordNetGlosses.load("noun"), opts.perSupersense, opts.seed));
        Collections.shuffle(glosses, new java.util.Random(opts.seed));
        List<String> texts = glosses.stream().map(WordNetGlosses.Gloss::definition).toList();
        List<String> labels = glosses.stream().map(WordNetGlosses.Gloss::supersense).toList();
        out.printf("WordNet 3.1: %d noun glosses (up to %d per supersense, 26 supersenses, seed %d)%n", texts.size(),
                opts.perSupersense, opts.seed);

        // 2. extraction
        Path dataDir = opts.output.resolve("data");
        clearData(dataDir);
        List<TextEncoder> encoders = new ArrayList<>();
        TextExtraction.Result ex;
        try {
            for (TextModel m : models) {
                encoders.add(TextEncoder.open(m, opts.layer, opts.threads));
            }
            int[] last = {0};
            ex = TextExtraction.extract(encoders, texts, labels, dataDir, 1, 128, done -> {
                if (done * 10 / texts.size() != last[0] * 10 / texts.size() || done == texts.size()) {
                    System.err.printf("extracting: %d/%d glosses%n", done, texts.size());
                }
                last[0] = done;
            });
        } finally {
            encoders.forEach(TextEncoder::close);
        }
        String layerName = opts.layer < 0 ? "last_hidden_state" : "layer " + opts.layer;
        out.printf("Extracted %,d tokens x %d models %s (%s, 384 wide, [CLS]/[SEP] dropped) in %.1f s (%,.0f tokens/s per model); wrote %s%n",
                ex.rows(), models.size(), models.stream().map(TextModel::name).toList(), layerName, ex.seconds(),
                ex.rows() * models.size() / ex.seconds(), dataDir);

        // 3. training
        ConfigurationManager cm = new ConfigurationManager(RealCommand.class.getResource(CONFIG));
        Map<String, String> overrides = trainerOverrides(opts.steps, opts.latents, opts.k);
        UsaeTrainer trainer = Training.trainer(cm, "real-trainer", overrides);
        trainer.addListener(new ProgressBar(System.err));
        out.println(trainer);
        try (ActivationSet set = NpyActivationSet.open(dataDir)) {
            long t1 = System.nanoTime();
            UsaeModel model = trainer.train(set);
            out.printf("Trained in %.1f s%n", (System.nanoTime() - t1) / 1e9);
            Path modelDir = opts.output.resolve("model");
            Training.writeOutputs(model, trainer, set, modelDir, out);

            // 4. co-firing and the most universal latents on the held-out rows
            long from = trainer.trainRows(set.rows());
            CoFiring cf = CoFiring.measure(model, set, from, set.rows(), ex, labels);
            String report = cf.toText(model.modelNames());
            out.println(report);
            AtomicFiles.writeString(modelDir.resolve("cofiring.txt"), report);
            Path exportDir = opts.output.resolve("export");
            DictionaryExport.write(model, exportDir);
            out.println("Exported dictionaries to " + exportDir);
        }
        // all rows: the held-out 10% has too few glosses per supersense for the probes (> 50 positives)
        new ReportCommand().run(new String[]{"-m", opts.output.resolve("model").toString(), "-d", dataDir.toString(),
                "--rows", "all"}, out);
        out.printf("Total wall time %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Removes a previous run's data set (only its own files), since the writer wants an empty folder. */
    private static void clearData(Path dir) throws IOException {
        clearSetFiles(dir, java.util.Set.of("manifest.json", TextExtraction.INPUTS_FILE, InputLabelFile.NAMES_FILE));
    }

    /**
     * Removes a previous run's activation set from a folder the job owns: its .npy files and the named
     * side files, nothing else (the writers want an empty folder).
     *
     * @param dir   the data folder (need not exist).
     * @param names the side files to remove besides the .npy files.
     */
    static void clearSetFiles(Path dir, java.util.Set<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".npy") || names.contains(n)) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * @param steps   --steps, or null.
     * @param latents --latents, or null.
     * @param k       -k, or null.
     * @return the trainer field overrides the flags give.
     */
    static Map<String, String> trainerOverrides(String steps, String latents, String k) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (steps != null) {
            overrides.put("steps", steps);
        }
        if (latents != null) {
            overrides.put("numLatents", latents);
        }
        if (k != null) {
            overrides.put("k", k);
        }
        return overrides;
    }

    /**
     * Co-firing, simple version: for every latent, among held-out tokens where it fires (> 0) in at
     * least one model, the fraction where it fires in all of them. Overall = summed over latents.
     */
    record CoFiring(long rows, int models, long[] any, long[] all, Map<Integer, Map<String, Integer>> tokens,
                    Map<Integer, Map<String, Integer>> labels) {
        static CoFiring measure(UsaeModel model, ActivationSet set, long from, long to, TextExtraction.Result ex,
                                List<String> inputLabels) {
            int nm = model.modelNames().size();
            int m = model.parameters().architecture().numLatents();
            long[] any = new long[m];
            long[] all = new long[m];
            Map<Integer, Map<String, Integer>> toks = new HashMap<>();
            Map<Integer, Map<String, Integer>> labs = new HashMap<>();
            RowIndex ri = set.rowIndex().orElseThrow();
            int batch = 1024;
            int[] count = new int[m];
            for (long s = from; s < to; s += batch) {
                int n = (int) Math.min(batch, to - s);
                long[] ids = new long[n];
                for (int r = 0; r < n; r++) {
                    ids[r] = s + r;
                }
                SparseCodes[] codes = new SparseCodes[nm];
                for (int i = 0; i < nm; i++) {
                    float[] x = new float[n * set.dim(i)];
                    set.readRows(i, ids, x);
                    codes[i] = model.encode(i, x, n);
                }
                for (int r = 0; r < n; r++) {
                    List<Integer> touched = new ArrayList<>();
                    for (int i = 0; i < nm; i++) {
                        SparseCodes c = codes[i];
                        for (int j = 0; j < c.k(); j++) {
                            if (c.values()[r * c.k() + j] > 0) {
                                int lat = c.indices()[r * c.k() + j];
                                if (count[lat]++ == 0) {
                                    touched.add(lat);
                                }
                            }
                        }
                    }
                    long row = s + r;
                    int input = (int) ri.inputId(row);
                    String token = ex.tokens().get(input)[(int) ri.position(row)];
                    for (int lat : touched) {
                        any[lat]++;
                        if (count[lat] == nm) {
                            all[lat]++;
                            toks.computeIfAbsent(lat, q -> new HashMap<>()).merge(token, 1, Integer::sum);
                            labs.computeIfAbsent(lat, q -> new HashMap<>()).merge(inputLabels.get(input), 1, Integer::sum);
                        }
                        count[lat] = 0;
                    }
                }
            }
            return new CoFiring(to - from, nm, any, all, toks, labs);
        }

        String toText(List<String> names) {
            long sa = Arrays.stream(any).sum();
            long sl = Arrays.stream(all).sum();
            int m = any.length;
            int used = 0;
            int universal = 0;
            for (int j = 0; j < m; j++) {
                if (any[j] > 0) {
                    used++;
                    if (all[j] >= 0.5 * any[j] && any[j] >= 20) {
                        universal++;
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Co-firing on %,d held-out tokens across %s:%n", rows, names));
            sb.append(String.format(Locale.ROOT, "  of all (token, latent) firings in any model, %.1f%% fire in all %d models%n",
                    100.0 * sl / Math.max(1, sa), models));
            sb.append(String.format(Locale.ROOT, "  latents firing at all: %d of %d; universal (fire in all models on >= 50%% of "
                    + "their tokens, >= 20 tokens): %d%n", used, m, universal));
            Integer[] order = new Integer[m];
            for (int j = 0; j < m; j++) {
                order[j] = j;
            }
            Arrays.sort(order, Comparator.comparingLong((Integer j) -> -all[j]));
            sb.append("  most frequent co-firing latents (tokens firing in all models; top tokens; top supersenses):\n");
            for (int q = 0; q < Math.min(10, m) && all[order[q]] > 0; q++) {
                int j = order[q];
                sb.append(String.format(Locale.ROOT, "    latent %5d  %5d/%-5d  %-40s %s%n", j, all[j], any[j],
                        top(tokens.get(j), 5), top(labels.get(j), 2)));
            }
            return sb.toString();
        }

        private static String top(Map<String, Integer> counts, int n) {
            if (counts == null) {
                return "";
            }
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            return counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                    .map(e -> e.getKey() + (total > 0 ? String.format(Locale.ROOT, " %.0f%%", 100.0 * e.getValue() / total) : ""))
                    .reduce((a, b) -> a + ", " + b).orElse("");
        }
    }
}
