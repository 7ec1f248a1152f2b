package org.tribuo.usae.bench;

import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.synth.HardPlantedGeometry;
import org.tribuo.usae.synth.HardPlantedOptions;
import org.tribuo.usae.synth.HardPlantedStream;
import org.tribuo.usae.synth.HardRecovery;
import org.tribuo.usae.synth.HardRecoveryResult;
import org.tribuo.usae.synth.LabelScores;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hard suite of the recovery benchmark ({@code usae bench --recovery --suite hard}): for every recipe and token
 * budget, trains on a fresh stream of {@link HardPlantedOptions#hard()} and scores the model against the ground truth
 * ({@link HardRecovery}) and on held-out R2; prints two markdown tables (recovery; SynthSAEBench's scores and the
 * analysis's labels) and writes them.
 */
final class HardRecoveryBench {
    private HardRecoveryBench() {
    }

    /** One result row. */
    record Row(String recipe, long tokens, long steps, int batchSize, HardRecoveryResult scores, double offR2,
               double offR2Weighted, double selfR2, double selfR2Weighted, double seconds) {
    }

    /**
     * @param suite   the suite's settings before the flags change them ({@link HardPlantedOptions#hard()}, or its
     *                first calibration).
     * @param opts    the options (defaults filled in here).
     * @param command the command line, recorded in the output.
     * @param out     progress and the tables.
     */
    static void run(HardPlantedOptions suite, BenchOptions opts, String command, PrintStream out) {
        // m: 3072, about twice the suite's 1,408 concepts; k: 8, about twice a token's 4 concepts per model
        opts.latents = opts.latents < 0 ? 3072 : opts.latents;
        opts.k = opts.k < 0 ? 8 : opts.k;
        opts.recipes = opts.recipes == null ? org.tribuo.usae.train.Recipes.names() : opts.recipes;
        opts.output = opts.output == null ? Path.of("bench-recovery-hard.md") : opts.output;
        if (opts.shared > 0 || opts.privateConcepts >= 0 || opts.active >= 0) {
            throw new IllegalArgumentException("--shared, --private and --active set the basic suite; the hard suite's "
                    + "concepts are HardPlantedOptions' (change them with --suite-set)");
        }
        HardPlantedOptions options = suite;
        if (opts.dims != null) {
            options = options.withDims(opts.dims.stream().map(String::trim).mapToInt(Integer::parseInt).toArray());
        }
        if (opts.dataSeed >= 0) {
            options = options.withSeed(opts.dataSeed);
        }
        if (opts.suiteSet != null) {
            options = options.withOverrides(RecoveryBench.parsePairs(opts.suiteSet, "--suite-set"));
        }
        long[] budgets = RecoveryBench.parseBudgets(opts.budgets);
        List<String> recipes = opts.recipes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (recipes.isEmpty()) {
            throw new IllegalArgumentException("--recipes is empty");
        }
        Map<String, String> common = RecoveryBench.parseOverrides(opts.set == null ? "" : opts.set, "--set");
        HardPlantedGeometry geometry = new HardPlantedGeometry(options);
        out.println("Hard recovery suite on " + options + "; m = " + opts.latents + ", k = " + opts.k);
        List<Row> rows = RecoveryBench.grid(budgets, recipes,
                (recipe, budget) -> runOne(recipe, budget, opts, common, geometry), HardRecoveryBench::line, out);
        String tables = tables(rows, options);
        String doc = "# Planted-concept recovery benchmark: the hard suite\n\n"
                + RecoveryBench.header(command, options.toString(), opts, common) + tables;
        AtomicFiles.writeString(opts.output, doc);
        out.println();
        out.println(tables);
        out.println("Wrote " + opts.output);
    }

    private static Row runOne(String spec, long budget, BenchOptions opts, Map<String, String> common,
                              HardPlantedGeometry geometry) {
        int[] dims = geometry.options().dims();
        RecoveryBench.Trained t = RecoveryBench.train(spec, budget, opts, common, dims,
                rows -> new HardPlantedStream(geometry, 0, rows));
        HardRecoveryResult scores = HardRecovery.score(t.model(), geometry, RecoveryBench.EVAL_FIRST_ROW, opts.evalRows,
                0.9);
        EvaluationReport report;
        try (HardPlantedStream eval = new HardPlantedStream(geometry, RecoveryBench.EVAL_FIRST_ROW, opts.evalRows)) {
            report = ModelEvaluation.evaluate(t.model(), eval, 0, eval.rows(), Math.min(4096, opts.evalRows));
        }
        double[][] official = report.r2().get(R2Kind.OFFICIAL);
        double[][] weighted = report.r2().get(R2Kind.VARIANCE_WEIGHTED);
        return new Row(spec.trim(), budget, t.steps(), t.batchSize(), scores, RecoveryBench.offDiagonal(official),
                RecoveryBench.offDiagonal(weighted), RecoveryBench.diagonal(official), RecoveryBench.diagonal(weighted),
                t.seconds());
    }

    private static String line(Row r) {
        HardRecoveryResult s = r.scores();
        return String.format(Locale.ROOT, "%s @ %s tokens: universal %.3f (parents %.3f, children %.3f, free %.3f), "
                        + "exclusive %s, dead %.3f (per model %s), per-model %s, off-diag R2 %.3f, self R2 %.3f, %.0f s",
                r.recipe(), RecoveryBench.tokens(r.tokens()), s.universal(), s.universalParents(), s.universalChildren(),
                s.universalFree(), RecoveryBench.perModel(s.exclusiveRecall()), s.deadEverywhere(),
                RecoveryBench.perModel(s.deadFraction()),
                RecoveryBench.perModel(s.perModelRecall()), r.offR2(), r.selfR2(), r.seconds());
    }

    private static String unique(LabelScores scores) {
        StringBuilder unique = new StringBuilder();
        for (int i = 0; i < scores.uniquePrecision().length; i++) {
            unique.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%.2f / %.2f",
                    scores.uniquePrecision()[i], scores.uniqueRecall()[i]));
        }
        return unique.toString();
    }

    static String tables(List<Row> rows, HardPlantedOptions options) {
        String models = Arrays.toString(options.names()).replace(",", " /");
        StringBuilder sb = new StringBuilder();
        sb.append("Recovery (cosine >= 0.9; universal: one latent in every model; exclusive: its model's latent, ")
                .append("silent in the others):\n\n");
        sb.append("| recipe | tokens | steps x batch | universal | parents | children | free | per-model recall ")
                .append(models).append(" | per-model mean best cosine | exclusive recall | dead latents: in no model (per model) | ")
                .append("off-diag R2 (official / variance-weighted) | self R2 (official / variance-weighted) | wall time |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            HardRecoveryResult s = r.scores();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d x %d | %.3f | %.3f | %.3f | %.3f | %s | %s | %s | %.3f (%s) "
                            + "| %.3f / %.3f | %.3f / %.3f | %.0f s |%n", r.recipe().replace("|", "\\|"),
                    RecoveryBench.tokens(r.tokens()), r.steps(), r.batchSize(), s.universal(), s.universalParents(),
                    s.universalChildren(), s.universalFree(), RecoveryBench.perModel(s.perModelRecall()),
                    RecoveryBench.perModel(s.perModelMeanCos()), RecoveryBench.perModel(s.exclusiveRecall()),
                    s.deadEverywhere(), RecoveryBench.perModel(s.deadFraction()), r.offR2(), r.offR2Weighted(), r.selfR2(),
                    r.selfR2Weighted(), r.seconds()));
        }
        sb.append("\nSynthSAEBench's scores per model (over its shared and exclusive concepts), and the analysis's ")
                .append("labels against the truth (precision / recall; truth: the kind of a latent's nearest planted ")
                .append("concept at cosine >= ").append(HardRecovery.LABEL_COSINE).append(") by the paper's co-firing rule ")
                .append("and by the trace rule:\n\n");
        sb.append("| recipe | tokens | MCC ").append(models).append(" | F1 | universal, co-firing | unique per model, co-firing ")
                .append("| universal, trace | unique per model, trace | latents called universal (co-firing / trace) / ")
                .append("truly shared |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            HardRecoveryResult s = r.scores();
            LabelScores f = s.firingLabels();
            LabelScores t = s.traceLabels();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f / %.2f | %s | %.2f / %.2f | %s | %d / %d / %d |%n",
                    r.recipe().replace("|", "\\|"), RecoveryBench.tokens(r.tokens()), RecoveryBench.perModel(s.mcc()),
                    RecoveryBench.perModel(s.f1()), f.universalPrecision(), f.universalRecall(), unique(f),
                    t.universalPrecision(), t.universalRecall(), unique(t), f.labelledUniversal(), t.labelledUniversal(),
                    s.trulyShared()));
        }
        return sb.toString();
    }
}
