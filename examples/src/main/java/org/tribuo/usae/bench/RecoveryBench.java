package org.tribuo.usae.bench;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.ConceptRecovery;
import org.tribuo.usae.synth.HardPlantedOptions;
import org.tribuo.usae.synth.PerModelRecovery;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedGeometry;
import org.tribuo.usae.synth.PlantedOptions;
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
 * The planted-concept recovery benchmark ({@code usae bench --recovery}). For every recipe and token budget, trains
 * on a fresh generated stream of the benchmark set ({@link PlantedOptions#benchmark()}, rows generated from their
 * ids, see {@link PlantedStream}) and reports universal recovery (one latent with cosine >= 0.9 to the concept in
 * every model), per-model recovery, the off-diagonal (cross-model) R2 on held-out generated rows and the wall time;
 * prints a markdown table and writes it.
 */
public final class RecoveryBench {
    /** First token id of the evaluation rows: far from any training range. */
    static final long EVAL_FIRST_ROW = 1L << 40;

    private RecoveryBench() {
    }

    /** One result row. */
    record Row(String recipe, long tokens, long steps, int batchSize, double universal, double[] perModel,
               double offR2, double offR2Weighted, double selfR2, double seconds) {
    }

    /**
     * @param opts    the options (recovery's; defaults filled in here).
     * @param command the command line, recorded in the output.
     * @param out     progress and the table.
     */
    public static void run(BenchOptions opts, String command, PrintStream out) {
        switch (opts.suite == null ? "basic" : opts.suite.trim().toLowerCase(Locale.ROOT)) {
            case "basic" -> {
                if (opts.suiteSet != null) {
                    throw new IllegalArgumentException("--suite-set changes the hard suite's settings; use --shared, "
                            + "--private, --active or --dims with the basic suite");
                }
            }
            case "hard" -> {
                HardRecoveryBench.run(HardPlantedOptions.hard(), opts, command, out);
                return;
            }
            case "hard-first" -> {
                HardRecoveryBench.run(HardPlantedOptions.firstCalibration(), opts, command, out);
                return;
            }
            default -> throw new IllegalArgumentException("--suite: '" + opts.suite + "' is not basic, hard or hard-first");
        }
        opts.latents = opts.latents < 0 ? 1024 : opts.latents;
        opts.k = opts.k < 0 ? 16 : opts.k;
        opts.recipes = opts.recipes == null ? org.tribuo.usae.train.Recipes.names() : opts.recipes;
        opts.output = opts.output == null ? Path.of("bench-recovery.md") : opts.output;
        PlantedOptions pc = dataConfig(opts);
        long[] budgets = parseBudgets(opts.budgets);
        List<String> recipes = opts.recipes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (recipes.isEmpty()) {
            throw new IllegalArgumentException("--recipes is empty");
        }
        Map<String, String> common = parseOverrides(opts.set == null ? "" : opts.set, "--set");
        PlantedGeometry geometry = PlantedConcepts.geometry(pc);
        out.println("Recovery benchmark on " + pc + "; m = " + opts.latents + ", k = " + opts.k);
        List<Row> rows = grid(budgets, recipes, (recipe, budget) -> runOne(recipe, budget, opts, common, geometry),
                RecoveryBench::line, out);
        String table = table(rows, pc);
        String doc = "# Planted-concept recovery benchmark\n\n" + header(command, pc.toString(), opts, common) + table;
        AtomicFiles.writeString(opts.output, doc);
        out.println();
        out.println(table);
        out.println("Wrote " + opts.output);
    }

    /**
     * Runs every recipe at every budget (budgets outer), printing each result's line as it comes.
     * @return the results in run order.
     */
    static <R> List<R> grid(long[] budgets, List<String> recipes, java.util.function.BiFunction<String, Long, R> run,
                            java.util.function.Function<R, String> line, PrintStream out) {
        List<R> rows = new ArrayList<>();
        for (long budget : budgets) {
            for (String recipe : recipes) {
                R r = run.apply(recipe, budget);
                rows.add(r);
                out.println(line.apply(r));
                out.flush();
            }
        }
        return rows;
    }

    /** @return the result file's lines under its title: command, date and machine, data, settings. */
    static String header(String command, String data, BenchOptions opts, Map<String, String> common) {
        return "Command: `" + command + "`  \n"
                + "Date: " + LocalDate.now() + "; machine: " + Runtime.getRuntime().availableProcessors()
                + " cores available to the JVM, " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + "  \n"
                + "Data: " + data + "; training rows generated fresh from their ids; evaluation on " + opts.evalRows
                + " held-out generated rows.  \n"
                + "m = " + opts.latents + ", k = " + opts.k + " for every recipe; other settings are each recipe's"
                + (common.isEmpty() ? "" : " plus " + common) + "; trainer seed " + opts.seed + ".\n\n";
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
        int[] dims = geometry.config().dims();
        Trained t = train(spec, budget, opts, common, dims, rows -> new PlantedStream(geometry, 0, rows));
        UsaeModel model = t.model();
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
        return new Row(label, budget, t.steps(), t.batchSize(), universal.recoveredFraction(),
                perModel.recoveredFraction(), offDiagonal(report.r2().get(R2Kind.OFFICIAL)),
                offDiagonal(report.r2().get(R2Kind.VARIANCE_WEIGHTED)), diagonal(report.r2().get(R2Kind.OFFICIAL)),
                t.seconds());
    }

    /**
     * A trained model of one recipe at one budget.
     * @param model     the model.
     * @param steps     steps trained.
     * @param batchSize rows per step.
     * @param seconds   training wall time.
     */
    record Trained(UsaeModel model, long steps, int batchSize, double seconds) {
    }

    /**
     * Trains a recipe (with its overrides) on {@code budget} tokens of a generated set.
     * @param spec     {@code RECIPE[+field=value...]}.
     * @param budget   tokens.
     * @param opts     latents, k and seed.
     * @param common   overrides for every recipe.
     * @param dims     the set's widths.
     * @param trainSet the training set of a row count (rows from token 0).
     * @return the trained model.
     */
    static Trained train(String spec, long budget, BenchOptions opts, Map<String, String> common, int[] dims,
                         java.util.function.LongFunction<org.tribuo.usae.data.ActivationSet> trainSet) {
        String[] parts = spec.split("\\+", 2);
        String recipe = org.tribuo.usae.train.Recipes.builtIn(parts[0]).orElse(parts[0].trim());
        Map<String, String> fields = new LinkedHashMap<>(common);
        fields.putAll(parseOverrides(parts.length > 1 ? parts[1] : "", "--recipes"));
        fields.put("recipe", recipe);
        fields.put("numLatents", Integer.toString(opts.latents));
        fields.put("k", Integer.toString(opts.k));
        fields.put("seed", Long.toString(opts.seed));
        fields.put("holdOutFraction", "0");
        fields.put("steps", "1");
        int batch = trainer(fields).settingsFor(dims, budget).batchSize();
        long steps = Math.max(1, budget / batch);
        fields.put("steps", Long.toString(steps));
        UsaeTrainer trainer = trainer(fields);
        long trainRows = Math.max(steps * batch, 2);
        long start = System.nanoTime();
        UsaeModel model;
        try (org.tribuo.usae.data.ActivationSet train = trainSet.apply(trainRows)) {
            model = trainer.train(train);
        }
        return new Trained(model, steps, batch, (System.nanoTime() - start) / 1e9);
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
                throw new IllegalArgumentException("--budgets: '" + parts[i] + "' is not a token count (e.g. 500k, 3M)");
            }
            if (out[i] < 2) {
                throw new IllegalArgumentException("--budgets: '" + parts[i] + "' must be at least 2 tokens");
            }
        }
        return out;
    }

    static Map<String, String> parseOverrides(String s, String flag) {
        Map<String, String> m = parsePairs(s, flag);
        m.forEach((k, v) -> org.tribuo.usae.train.TrainerOptionChecks.requireValue(k, v, flag));
        return m;
    }

    /** @return {@code field=value[+field=value...]} as an ordered map, names not checked. */
    static Map<String, String> parsePairs(String s, String flag) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : s.split("\\+")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(flag + ": '" + kv + "' is not field=value");
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

    static String perModel(double[] f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            sb.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", f[i]));
        }
        return sb.toString();
    }

    static String tokens(long t) {
        if (t % 1_000_000 == 0) {
            return t / 1_000_000 + "M";
        }
        if (t % 1_000 == 0) {
            return t / 1_000 + "k";
        }
        return Long.toString(t);
    }
}
