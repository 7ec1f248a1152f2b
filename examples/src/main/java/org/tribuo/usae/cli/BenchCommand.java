package org.tribuo.usae.cli;

import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.ConceptRecovery;
import org.tribuo.usae.synth.PerModelRecovery;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedGeometry;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedStream;
import org.tribuo.usae.synth.RecoveryResult;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code usae bench --recovery | --throughput}. {@code --throughput} measures training tokens/s
 * ({@link ThroughputBench}). {@code --recovery} is the planted-concept recovery benchmark. For every recipe and token
 * budget, trains on a fresh generated stream of the benchmark set ({@link PlantedOptions#benchmark()},
 * rows generated from their ids, see {@link PlantedStream}) and reports universal recovery (one latent
 * with cosine >= 0.9 to the concept in every model), per-model recovery, the off-diagonal
 * (cross-model) R2 on held-out generated rows and the wall time; prints a markdown table and writes it.
 */
final class BenchCommand implements Usae.Command {
    /** First token id of the evaluation rows: far from any training range. */
    static final long EVAL_FIRST_ROW = 1L << 40;

    /** Options of {@code usae bench}. */
    public static final class BenchOptions implements Options {
        /** Set by the bare flag {@code --recovery}. */
        public boolean recovery;
        /** Set by the bare flag {@code --throughput}. */
        public boolean throughput;
        @Option(longName = "budgets", usage = "--recovery: comma-separated token budgets, with optional k/M suffix (default 1M,3M,6M).")
        public List<String> budgets = List.of("1M", "3M", "6M");
        @Option(longName = "recipes", usage = "Comma-separated recipes. --recovery: a recipe may carry trainer overrides, "
                + "ALIGNED+learningRate=3e-3+sparsity=GLOBAL_TOPK, and may be a recipe file's path; --throughput: "
                + "built-in recipes (default: every built-in recipe; `usae recipes` lists them).")
        public List<String> recipes;
        @Option(longName = "latents", usage = "Latents m (--recovery default 1024; --throughput: the shape's).")
        public int latents = -1;
        @Option(charName = 'k', longName = "k", usage = "Active latents per token (--recovery default 16; --throughput: the shape's).")
        public int k = -1;
        @Option(longName = "dims", usage = "Model widths (--recovery default 64,96,128; --throughput: the shape's).")
        public List<String> dims;
        @Option(longName = "shared", usage = "Shared concepts (default 512).")
        public int shared = -1;
        @Option(longName = "private", usage = "Private concepts per model (default 64).")
        public int privateConcepts = -1;
        @Option(longName = "active", usage = "Shared concepts active per token (default 8).")
        public int active = -1;
        @Option(longName = "eval-rows", usage = "Held-out generated rows for the R2 (default 16384).")
        public int evalRows = 16384;
        @Option(longName = "set", usage = "Trainer overrides for every recipe: field=value[+field=value...].")
        public String set;
        @Option(longName = "seed", usage = "Trainer seed (default 1).")
        public long seed = 1L;
        @Option(longName = "data-seed", usage = "Seed of the planted set (default: the benchmark's 2025).")
        public long dataSeed = -1;
        @Option(charName = 'o', longName = "output", usage = "Markdown file for the table (default bench-recovery.md "
                + "or bench-throughput.md).")
        public Path output;
        @Option(longName = "shape", usage = "--throughput: paper (widths 768,384,768, m 6144, k 32, 6272 rows; default) "
                + "and/or small (64,96,128, m 1024, k 16, 4096 rows); --dims/--latents/-k/--rows change one shape.")
        public List<String> shape;
        @Option(longName = "rows", usage = "--throughput: rows (tokens) per step (default: the shape's).")
        public int rows = -1;
        @Option(longName = "engines", usage = "--throughput: cpu, ort-cpu, ort-cuda (needs a -Pgpu build), reference "
                + "(default cpu,ort-cpu).")
        public List<String> engines = List.of("cpu", "ort-cpu");
        @Option(longName = "warmup", usage = "--throughput: untimed steps first (default 2; ORT engines warm up to a chunk boundary).")
        public int warmup = 2;
        @Option(longName = "steps", usage = "--throughput: timed steps (default 5).")
        public int timedSteps = 5;
        @Option(longName = "chunk-steps", usage = "--throughput: steps per ONNX Runtime call (the trainer's ortChunkSteps; default 32).")
        public int chunkSteps = 32;
        @Option(longName = "peer", usage = "--throughput: Python with torch to time the official USAE loop "
                + "(tools/peer/official_loop_bench.py; needs third_party/UniversalSAE), e.g. python3.")
        public String peer;
        @Option(longName = "peer-device", usage = "--throughput: the peer's torch device, cpu or cuda (default cuda when "
                + "--engines has ort-cuda, else cpu).")
        public String peerDevice;
        @Option(longName = "peer-threads", usage = "--throughput: the peer's torch CPU threads (default: all cores).")
        public int peerThreads = -1;
        @Option(longName = "peer-script", usage = "--throughput: the peer script (default tools/peer/official_loop_bench.py).")
        public Path peerScript = Path.of("tools", "peer", "official_loop_bench.py");
        @Option(longName = "scaling-steps", usage = "--throughput: also time how the cpu engine's step cost grows with "
                + "rows, latents and models (halved and doubled at the first shape) with this many timed steps per "
                + "variant (default 0: off).")
        public int scalingSteps = 0;
        @Option(longName = "stream-gb", usage = "--throughput: instead of the throughput cells, the memory check: write "
                + "(once, under the temp directory) a float32 set of each size in GB at the first shape's widths, train "
                + "the cpu engine streaming from it and report peak RSS per size, e.g. 1,5.")
        public List<String> streamGb;
        @Option(longName = "stream-steps", usage = "--throughput --stream-gb: timed steps per size (default 0: one pass "
                + "over the smallest set).")
        public int streamSteps = 0;
        @Option(longName = "json", usage = "--throughput: JSON file of the results (default bench-throughput.json).")
        public Path json = Path.of("bench-throughput.json");
        @Option(longName = "benchmarks-md", usage = "--throughput: also replace this run's marked section in this markdown "
                + "file (e.g. BENCHMARKS.md), or append one.")
        public Path benchmarksMd;
    }

    /** One result row. */
    record Row(String recipe, long tokens, long steps, int batchSize, double universal, double[] perModel,
               double offR2, double offR2Weighted, double selfR2, double seconds) {
    }

    @Override
    public String summary() {
        return "benchmarks: --recovery (planted-concept recovery, R2, time per recipe) or --throughput (training tokens/s per engine)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        BenchOptions opts = new BenchOptions();
        // OLCUT booleans take a value; accept the bare flags --recovery and --throughput as well
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean bareRecovery = rest.remove("--recovery");
        boolean bareThroughput = rest.remove("--throughput");
        new ConfigurationManager(rest.toArray(String[]::new), opts, false);
        opts.recovery |= bareRecovery;
        opts.throughput |= bareThroughput;
        if (opts.recovery == opts.throughput) {
            throw new CliException("choose one benchmark: --recovery or --throughput (see usae bench --help)");
        }
        for (Path p : new Path[]{opts.output, opts.json, opts.benchmarksMd}) {
            if (p != null) {
                OutputPaths.requireWritableFile(p == opts.output ? "--output" : p == opts.json ? "--json" : "--benchmarks-md", p);
            }
        }
        if (opts.throughput) {
            ThroughputBench.run(opts, "usae bench " + String.join(" ", args), out);
            return;
        }
        opts.latents = opts.latents < 0 ? 1024 : opts.latents;
        opts.k = opts.k < 0 ? 16 : opts.k;
        opts.recipes = opts.recipes == null ? org.tribuo.usae.train.Recipes.names() : opts.recipes;
        opts.output = opts.output == null ? Path.of("bench-recovery.md") : opts.output;
        PlantedOptions pc = dataConfig(opts);
        long[] budgets = parseBudgets(opts.budgets);
        List<String> recipes = opts.recipes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (recipes.isEmpty()) {
            throw new CliException("--recipes is empty");
        }
        Map<String, String> common = parseOverrides(opts.set == null ? "" : opts.set, "--set");
        PlantedGeometry geometry = PlantedConcepts.geometry(pc);
        String command = "./usae bench " + String.join(" ", args);
        out.println("Recovery benchmark on " + pc + "; m = " + opts.latents + ", k = " + opts.k);
        List<Row> rows = new ArrayList<>();
        for (long budget : budgets) {
            for (String recipe : recipes) {
                Row r = runOne(recipe, budget, opts, common, geometry);
                rows.add(r);
                out.println(line(r));
                out.flush();
            }
        }
        String table = table(rows, pc);
        String doc = "# Planted-concept recovery benchmark\n\n"
                + "Command: `" + command + "`  \n"
                + "Date: " + LocalDate.now() + "; machine: " + Runtime.getRuntime().availableProcessors()
                + " cores available to the JVM, " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + "  \n"
                + "Data: " + pc + "; training rows generated fresh from their ids; evaluation on " + opts.evalRows
                + " held-out generated rows.  \n"
                + "m = " + opts.latents + ", k = " + opts.k + " for every recipe; other settings are each recipe's"
                + (common.isEmpty() ? "" : " plus " + common) + "; trainer seed " + opts.seed + ".\n\n" + table;
        AtomicFiles.writeString(opts.output, doc);
        out.println();
        out.println(table);
        out.println("Wrote " + opts.output);
    }

    static PlantedOptions dataConfig(BenchOptions opts) {
        PlantedOptions pc = PlantedOptions.benchmark();
        if (opts.dims != null) {
            pc = pc.withDims(opts.dims.stream().map(String::trim).mapToInt(Integer::parseInt).toArray());
        }
        if (opts.shared > 0 || opts.privateConcepts >= 0 || opts.active >= 0) {
            pc = pc.withConcepts(opts.shared > 0 ? opts.shared : pc.sharedConcepts(),
                    opts.privateConcepts >= 0 ? opts.privateConcepts : pc.privateConceptsPerModel(),
                    opts.active >= 0 ? opts.active : pc.activePerRow());
        }
        if (opts.dataSeed >= 0) {
            pc = pc.withSeed(opts.dataSeed);
        }
        return pc;
    }

    private static Row runOne(String spec, long budget, BenchOptions opts, Map<String, String> common,
                              PlantedGeometry geometry) {
        String[] parts = spec.split("\\+", 2);
        String recipe = org.tribuo.usae.train.Recipes.builtIn(parts[0]).orElse(parts[0].trim());
        Map<String, String> fields = new LinkedHashMap<>(common);
        fields.putAll(parseOverrides(parts.length > 1 ? parts[1] : "", "--recipes"));
        fields.put("recipe", recipe);
        fields.put("numLatents", Integer.toString(opts.latents));
        fields.put("k", Integer.toString(opts.k));
        fields.put("seed", Long.toString(opts.seed));
        fields.put("holdOutFraction", "0");
        int[] dims = geometry.config().dims();
        fields.put("steps", "1");
        int batch = trainer(fields).settingsFor(dims, budget).batchSize();
        long steps = Math.max(1, budget / batch);
        fields.put("steps", Long.toString(steps));
        UsaeTrainer trainer = trainer(fields);
        long trainRows = Math.max(steps * batch, 2);
        long start = System.nanoTime();
        UsaeModel model;
        try (PlantedStream train = new PlantedStream(geometry, 0, trainRows)) {
            model = trainer.train(train);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int models = dims.length;
        float[][] dicts = new float[models][];
        for (int i = 0; i < models; i++) {
            dicts[i] = model.parameters().model(i).normalizedDictionary();
        }
        RecoveryResult universal = ConceptRecovery.recover(dicts, dims, geometry.sharedDirections());
        PerModelRecovery perModel = ConceptRecovery.perModel(dicts, dims, geometry.sharedDirections());
        EvaluationReport report;
        try (PlantedStream eval = new PlantedStream(geometry, EVAL_FIRST_ROW, opts.evalRows)) {
            report = ModelEvaluation.evaluate(model, eval, 0, eval.rows(), Math.min(4096, opts.evalRows));
        }
        String label = spec.trim();
        return new Row(label, budget, steps, batch, universal.recoveredFraction(), perModel.recoveredFraction(),
                offDiagonal(report.r2().get(R2Kind.OFFICIAL)), offDiagonal(report.r2().get(R2Kind.VARIANCE_WEIGHTED)),
                diagonal(report.r2().get(R2Kind.OFFICIAL)), seconds);
    }

    private static UsaeTrainer trainer(Map<String, String> fields) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("bench-trainer", UsaeTrainer.class.getName());
        fields.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("bench-trainer");
    }

    static double offDiagonal(double[][] r2) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < r2.length; i++) {
            for (int j = 0; j < r2.length; j++) {
                if (i != j) {
                    s += r2[i][j];
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    static double diagonal(double[][] r2) {
        double s = 0;
        for (int i = 0; i < r2.length; i++) {
            s += r2[i][i];
        }
        return s / r2.length;
    }

    static long[] parseBudgets(List<String> list) {
        String[] parts = list.toArray(String[]::new);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim().toUpperCase(Locale.ROOT);
            long mult = 1;
            if (p.endsWith("M")) {
                mult = 1_000_000;
                p = p.substring(0, p.length() - 1);
            } else if (p.endsWith("K")) {
                mult = 1_000;
                p = p.substring(0, p.length() - 1);
            }
            try {
                out[i] = Math.round(Double.parseDouble(p) * mult);
            } catch (NumberFormatException e) {
                throw new CliException("--budgets: '" + parts[i] + "' is not a token count (e.g. 500k, 3M)");
            }
            if (out[i] < 2) {
                throw new CliException("--budgets: '" + parts[i] + "' must be at least 2 tokens");
            }
        }
        return out;
    }

    static Map<String, String> parseOverrides(String s, String flag) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : s.split("\\+")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CliException(flag + ": '" + kv + "' is not field=value");
            }
            m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return m;
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%s @ %s tokens: universal %.3f, per-model %s, off-diag R2 %.3f "
                        + "(variance-weighted %.3f), self R2 %.3f, %.0f s", r.recipe, tokens(r.tokens), r.universal,
                perModel(r.perModel), r.offR2, r.offR2Weighted, r.selfR2, r.seconds);
    }

    static String table(List<Row> rows, PlantedOptions pc) {
        StringBuilder sb = new StringBuilder();
        sb.append("| recipe | tokens | steps x batch | universal recovery | per-model recovery ")
                .append(Arrays.toString(pc.names()).replace(",", " /")).append(" | off-diag R2 (official) | ")
                .append("off-diag R2 (variance-weighted) | self R2 (official) | wall time |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d x %d | %.3f | %s | %.3f | %.3f | %.3f | %.0f s |%n",
                    r.recipe.replace("|", "\\|"), tokens(r.tokens), r.steps, r.batchSize, r.universal,
                    perModel(r.perModel), r.offR2, r.offR2Weighted, r.selfR2, r.seconds));
        }
        return sb.toString();
    }

    private static String perModel(double[] f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            sb.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", f[i]));
        }
        return sb.toString();
    }

    private static String tokens(long t) {
        if (t % 1_000_000 == 0) {
            return t / 1_000_000 + "M";
        }
        if (t % 1_000 == 0) {
            return t / 1_000 + "k";
        }
        return Long.toString(t);
    }
}
