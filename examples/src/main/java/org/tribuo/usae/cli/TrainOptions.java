package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;

import org.tribuo.usae.pipeline.TrainingOptions;
import org.tribuo.usae.train.Recipes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Options of {@code usae train}. Trainer fields come from an OLCUT config file ({@code -c}),
 * from these flags, or from {@code --@<trainer>.<field> value} for any field; flags win over the file.
 */
public final class TrainOptions implements Options {
    /** The boolean options, given bare on the command line (see {@link BareFlags}). */
    static final java.util.Set<String> FLAGS = java.util.stream.Stream.concat(Stream.of("--ort-tf32"),
            TrainingOptions.FLAGS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The training job's own options: data, output, checkpoint folder, resume, overwrite, verification. */
    public TrainingOptions run;
    @Option(longName = "trainer", usage = "Name of the trainer component in the config file (default: trainer).")
    public String trainerName = "trainer";
    @Option(longName = "recipe", usage = "A built-in recipe (default ALIGNED; `usae recipes` lists them with what each is for) or the path of a recipe file.")
    public String recipe;
    @Option(longName = "steps", usage = "Total training steps (default: the recipe's epochs).")
    public String steps;
    @Option(longName = "epochs", usage = "Epochs over the training rows (when --steps is not set).")
    public String epochs;
    @Option(longName = "latents", usage = "Number of latents m (default: expansion x widest model).")
    public String latents;
    @Option(longName = "expansion", usage = "Expansion factor when --latents is not set (default 8).")
    public String expansion;
    @Option(charName = 'k', longName = "k", usage = "Active latents per token.")
    public String k;
    @Option(longName = "batch-size", usage = "Tokens per step.")
    public String batchSize;
    @Option(longName = "lr", usage = "Peak learning rate.")
    public String learningRate;
    @Option(longName = "hold-out", usage = "Fraction of rows at the end of the set kept for evaluation (default: the "
            + "config file's holdOutFraction, else 0.05).")
    public String holdOut;
    /** {@code --hold-out} where neither the flag nor the config file sets it. */
    static final String DEFAULT_HOLD_OUT = "0.05";
    @Option(longName = "seed", usage = "Random seed.")
    public String seed;
    @Option(longName = "engine", usage = "cpu (fast float32), reference (double-precision oracle), ort-cpu or ort-cuda "
            + "(the fused ONNX Runtime training graph; ort-cuda needs a -Pgpu build; every built-in recipe).")
    public String engine;
    @Option(longName = "ort-chunk", usage = "Steps per ONNX Runtime call for the ort engines (default 32).")
    public String ortChunk;
    @Option(longName = "ort-tf32", usage = "ort-cuda only: TF32 matrix products (faster, ~10-bit mantissa products); default full float32.")
    public boolean ortTf32;

    @Option(longName = "checkpoint-every", usage = "Write a checkpoint every N steps (default 0: only at the end and on Ctrl-C/SIGTERM).")
    public String checkpointEvery;
    @Option(longName = "checkpoint-minutes", usage = "Write a checkpoint every T minutes (default 0: off).")
    public String checkpointMinutes;
    @Option(longName = "checkpoint-keep", usage = "Keep the newest K checkpoints (default 3; 0 keeps all).")
    public String checkpointKeep;

    /** @return trainer field overrides given as flags, by field name. */
    Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "recipe", recipe == null ? null : recipeName(recipe));
        put(m, "steps", steps);
        put(m, "epochs", epochs);
        put(m, "numLatents", latents);
        put(m, "expansionFactor", expansion);
        put(m, "k", k);
        put(m, "batchSize", batchSize);
        put(m, "learningRate", learningRate);
        put(m, "holdOutFraction", holdOut);
        put(m, "seed", seed);
        put(m, "checkpointEverySteps", checkpointEvery);
        put(m, "checkpointEveryMinutes", checkpointMinutes);
        put(m, "checkpointKeep", checkpointKeep);
        // ort-cpu and ORT_CPU both name EngineKind.ORT_CPU
        put(m, "engine", engine == null ? null : engine.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        put(m, "ortChunkSteps", ortChunk);
        put(m, "ortReducedPrecision", ortTf32 ? "true" : null);
        return m;
    }

    /** @return the built-in recipe's name, or the recipe file's path, or a one-line error that lists the recipes. */
    private static String recipeName(String flag) {
        java.util.Optional<String> name = Recipes.builtIn(flag);
        if (name.isPresent()) {
            return name.get();
        }
        if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(flag))) {
            return flag;
        }
        throw new CliException("--recipe: '" + flag + "' is not a recipe; expected one of "
                + Recipes.names().stream().map(r -> r.toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(", ")) + ", or the path of a recipe file");
    }

    private static void put(Map<String, String> m, String field, String value) {
        if (value != null) {
            m.put(field, value);
        }
    }
}
