package org.tribuo.usae.bench;

import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.engine.EngineKind;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the {@code cpu} engine's step cost grows: a base shape, then rows per step, latents and the
 * number of models halved and doubled (models: the first two widths, then a fourth model as wide as the
 * last), each next to the growth the {@code FlopModel} predicts.
 */
final class ThroughputScaling {
    private ThroughputScaling() {
    }

    /**
     * One measured variant.
     * @param recipe    recipe.
     * @param varied    "base", "rows", "latents" or "models".
     * @param shape     the variant's sizes.
     * @param msPerStep measured milliseconds per timed step.
     * @param stepFlops the FLOP model's expected FLOPs per step.
     */
    record Row(String recipe, String varied, ThroughputShape shape, double msPerStep, double stepFlops) {
    }

    /**
     * @param varied what changed ("base", "rows", "latents", "models").
     * @param shape  the sizes.
     */
    record Variant(String varied, ThroughputShape shape) {
    }

    /** @return the base shape and its variants. */
    static List<Variant> variants(ThroughputShape base) {
        int[] d = base.dims();
        int[] four = Arrays.copyOf(d, d.length + 1);
        four[d.length] = d[d.length - 1];
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("base", base));
        out.add(new Variant("rows", sized(base, d, base.latents(), base.rows() / 2)));
        out.add(new Variant("rows", sized(base, d, base.latents(), base.rows() * 2)));
        out.add(new Variant("latents", sized(base, d, base.latents() / 2, base.rows())));
        out.add(new Variant("latents", sized(base, d, base.latents() * 2, base.rows())));
        if (d.length > 2) {
            out.add(new Variant("models", sized(base, Arrays.copyOf(d, 2), base.latents(), base.rows())));
        }
        out.add(new Variant("models", sized(base, four, base.latents(), base.rows())));
        return out;
    }

    private static ThroughputShape sized(ThroughputShape base, int[] dims, int latents, int rows) {
        return new ThroughputShape(base.name(), dims, latents, Math.min(base.k(), latents), rows);
    }

    /**
     * @param base    the shape varied.
     * @param recipes recipes.
     * @param warmup  untimed steps per variant.
     * @param timed   timed steps per variant.
     * @param seed    trainer and data seed.
     * @param out     progress.
     * @return one row per recipe and variant.
     */
    static List<Row> run(ThroughputShape base, List<String> recipes, int warmup, int timed, long seed, PrintStream out) {
        List<Row> rows = new ArrayList<>();
        out.println("Scaling at " + base + ": " + warmup + " warm-up + " + timed + " timed steps per variant, cpu engine");
        for (Variant v : variants(base)) {
            ThroughputShape s = v.shape();
            ThroughputRunner runner = new ThroughputRunner(s, warmup, timed, 1, seed);
            try (InMemoryActivationSet set = SyntheticActivations.standardNormal(s.dims(), runner.poolRows(), seed)) {
                for (String r : recipes) {
                    ThroughputCell c = runner.run(set, r, EngineKind.CPU);
                    rows.add(new Row(r, v.varied(), s, c.msPerStep(), c.flops().total()));
                    out.printf(Locale.ROOT, "  %s %s (%s): %.1f ms/step%n", r, v.varied(), s.describe(), c.msPerStep());
                    out.flush();
                }
            }
        }
        return rows;
    }

    /**
     * @param rows the measured rows (base first per recipe).
     * @return the markdown table: each variant's step time and FLOPs relative to its recipe's base.
     */
    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nHow cost grows (`cpu` engine; **x base** = ms/step over the base shape's; **FLOP model x base** = ")
                .append("the predicted growth, `FlopModel.expected` over the base's):\n\n");
        sb.append("| recipe | varied | widths | m | rows/step | ms/step | x base | FLOP model x base |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Row base = rows.stream().filter(b -> b.recipe().equals(r.recipe()) && b.varied().equals("base")).findFirst()
                    .orElse(r);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.1f | %.2f | %.2f |%n", r.recipe(), r.varied(),
                    Arrays.toString(r.shape().dims()), r.shape().latents(), r.shape().rows(), r.msPerStep(),
                    r.msPerStep() / base.msPerStep(), r.stepFlops() / base.stepFlops()));
        }
        return sb.toString();
    }
}
