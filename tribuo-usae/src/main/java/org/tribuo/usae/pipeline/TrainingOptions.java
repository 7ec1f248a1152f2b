package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;

import java.nio.file.Path;

/**
 * The options of a {@link Training} run, as OLCUT options: where the data are, where the outputs and checkpoints go,
 * and what to do with an earlier run's files there. The trainer itself (recipe, steps, engine, checkpoint schedule)
 * is configured on {@link org.tribuo.usae.train.UsaeTrainer}; {@code usae train} takes these as they are.
 */
public final class TrainingOptions implements Options {
    /** The boolean options, which a command line gives bare (no value). */
    public static final java.util.Set<String> FLAGS = java.util.Set.of("--overwrite", "--no-verify");

    @Option(charName = 'd', longName = "data", usage = "Activation set: a folder of <model>.npy files (+ optional manifest.json).")
    public Path data;
    @Option(charName = 'o', longName = "output", usage = "Output folder for model.usae, eval.json/txt and trainer-config.xml.")
    public Path output;
    @Option(longName = "resume", usage = "Resume from a checkpoint file, or the newest valid checkpoint in a folder (an output folder or its checkpoints/).")
    public Path resume;
    @Option(longName = "checkpoint-dir", usage = "Checkpoint folder (default: <output>/checkpoints).")
    public Path checkpointDir;
    @Option(longName = "overwrite", usage = "Start over in an output folder that holds checkpoints of another run "
            + "(or of an earlier attempt of this one): deletes them. Without it such a folder is refused.")
    public boolean overwrite;
    @Option(longName = "no-verify", usage = "Skip the full read that checks the manifest's sha256 values and the "
            + "activations' values before training (it reads every file once, about as long as one epoch's reads); "
            + "a changed or corrupt file then trains silently.")
    public boolean noVerify;

    /**
     * @throws IllegalArgumentException when the data or the output folder is missing.
     */
    public void validate() {
        if (data == null || output == null) {
            throw new IllegalArgumentException("--data and --output are required (see usae train --help)");
        }
    }

    /** @return the checkpoint folder: {@code --checkpoint-dir}, else {@code <output>/checkpoints}. */
    public Path checkpointFolder() {
        return checkpointDir != null ? checkpointDir : output.resolve("checkpoints");
    }
}
