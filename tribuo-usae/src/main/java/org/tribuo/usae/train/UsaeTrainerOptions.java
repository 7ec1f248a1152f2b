package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The trainer's most used options as typed OLCUT options, Tribuo-style (as {@code KMeansOptions} provides
 * {@code getTrainer()}): a value of the wrong type fails when the command line is parsed, naming the flag, and the
 * option each flag sets is named in one place ({@link #overrides()}), which a test checks against
 * {@link TrainerOptionChecks#names()}. Unset options (null) leave the trainer's value (the recipe's, or a config
 * file's) alone; every other trainer option is reachable through a config file or OLCUT's
 * {@code --@trainer.option value}.
 */
public final class UsaeTrainerOptions implements Options {
    /** The boolean options, which a command line gives bare (no value). */
    public static final java.util.Set<String> FLAGS = java.util.Set.of("--ort-tf32");

    @Option(longName = "recipe", usage = "A built-in recipe (default ALIGNED; `usae recipes` lists them with what each is for) or the path of a recipe file.")
    public String recipe;
    @Option(longName = "steps", usage = "Total training steps (default: the recipe's epochs).")
    public Long steps;
    @Option(longName = "epochs", usage = "Epochs over the training rows (when --steps is not set).")
    public Integer epochs;
    @Option(longName = "latents", usage = "Number of latents m (default: expansion x widest model).")
    public Integer latents;
    @Option(longName = "expansion", usage = "Expansion factor when --latents is not set (default 8).")
    public Integer expansion;
    @Option(charName = 'k', longName = "k", usage = "Active latents per token.")
    public Integer k;
    @Option(longName = "batch-size", usage = "Tokens per step.")
    public Integer batchSize;
    @Option(longName = "lr", usage = "Peak learning rate.")
    public Double learningRate;
    @Option(longName = "hold-out", usage = "Fraction of rows at the end of the set kept for evaluation (default: the "
            + "config file's holdOutFraction, else 0.05).")
    public Double holdOut;
    @Option(longName = "seed", usage = "Random seed.")
    public Long seed;
    @Option(longName = "engine", usage = "cpu (fast float32), reference (double-precision oracle), ort-cpu or ort-cuda "
            + "(the fused ONNX Runtime training graph; ort-cuda needs a -Pgpu build; every built-in recipe).")
    public String engine;
    @Option(longName = "ort-chunk", usage = "Steps per ONNX Runtime call for the ort engines (default 32).")
    public Integer ortChunk;
    @Option(longName = "ort-tf32", usage = "ort-cuda only: TF32 matrix products (faster, ~10-bit mantissa products); default full float32.")
    public boolean ortTf32;
    @Option(longName = "checkpoint-every", usage = "Write a checkpoint every N steps (default 0: only at the end and on Ctrl-C/SIGTERM).")
    public Long checkpointEvery;
    @Option(longName = "checkpoint-minutes", usage = "Write a checkpoint every T minutes (default 0: off).")
    public Double checkpointMinutes;
    @Option(longName = "checkpoint-keep", usage = "Keep the newest K checkpoints (default 3; 0 keeps all).")
    public Integer checkpointKeep;

    /**
     * @return the trainer options these flags set, by option name, in the trainer's own spelling (a recipe name in
     *     upper case, an engine as {@code ORT_CPU}).
     * @throws IllegalArgumentException when {@code --recipe} names neither a built-in recipe nor a file.
     */
    public Map<String, String> overrides() {
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
        put(m, "engine", engine == null ? null : engine.toUpperCase(Locale.ROOT).replace('-', '_'));
        put(m, "ortChunkSteps", ortChunk);
        put(m, "ortReducedPrecision", ortTf32 ? Boolean.TRUE : null);
        return m;
    }

    /**
     * @return a trainer with these options over the defaults (postConfig validated).
     * @throws com.oracle.labs.mlrg.olcut.config.PropertyException naming an option the trainer rejects.
     */
    public UsaeTrainer getTrainer() {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        overrides().forEach((name, value) -> cd.add(name, new SimpleProperty(value)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
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
        throw new IllegalArgumentException("--recipe: '" + flag + "' is not a recipe; expected one of "
                + Recipes.names().stream().map(r -> r.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(", ")) + ", or the path of a recipe file");
    }

    private static void put(Map<String, String> m, String option, Object value) {
        if (value != null) {
            m.put(option, value.toString());
        }
    }
}
