package org.tribuo.usae.train;

import java.nio.file.Path;

/**
 * Child process of {@link CheckpointKillTest}: trains the tiny FAITHFUL run with a checkpoint after
 * every step into {@code args[0]}, resuming from the newest valid checkpoint there if any, until killed.
 * Optional {@code args[1]}: the data seed of {@link TinyTraining#set} (default 7); {@code args[2]}
 * {@code overwrite}: start a new run, deleting the folder's checkpoints, instead of resuming.
 */
public final class KillTestMain {
    static final long STEPS = 1_000_000;

    private KillTestMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long dataSeed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        boolean overwrite = args.length > 2 && args[2].equals("overwrite");
        CheckpointOptions options = CheckpointOptions.in(dir).overwrite(overwrite);
        if (!overwrite && !CheckpointFiles.list(dir).isEmpty()) {
            options = options.resumeFrom(dir);
        }
        TinyTraining.trainer(STEPS, 1, 0).train(TinyTraining.set(dataSeed), options);
    }
}
