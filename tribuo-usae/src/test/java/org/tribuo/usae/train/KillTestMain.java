package org.tribuo.usae.train;

import java.nio.file.Path;

/**
 * Child process of {@link CheckpointKillTest}: trains the tiny FAITHFUL run with a checkpoint after
 * every step into {@code args[0]}, resuming from the newest valid checkpoint there if any, until killed.
 */
public final class KillTestMain {
    static final long STEPS = 1_000_000;

    private KillTestMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        CheckpointOptions options = CheckpointOptions.in(dir);
        if (!Checkpoints.list(dir).isEmpty()) {
            options = options.resumeFrom(dir);
        }
        TinyTraining.trainer(STEPS, 1, 0).train(TinyTraining.set(7), options);
    }
}
