package org.tribuo.usae.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where and how a training run checkpoints, and what it resumes from. How often is the trainer's
 * configuration ({@code checkpointEverySteps}, {@code checkpointEveryMinutes}, {@code checkpointKeep}).
 *
 * @param folder     checkpoint folder (null: no checkpoints written).
 * @param resumeFrom a checkpoint file, or a folder to take its newest valid checkpoint from (null: fresh run).
 * @param stop       stop requests, consulted between steps (null: none).
 * @param store      the file writer (fault-injection seam).
 * @param log        receives one line per checkpoint written or skipped on resume.
 * @param overwrite  delete checkpoints in the folder that this run would not continue (another run's,
 *                   or, for a new run, any) instead of refusing to start.
 */
public record CheckpointOptions(Path folder, Path resumeFrom, StopSignal stop, CheckpointStore store,
                                Consumer<String> log, boolean overwrite) {
    public CheckpointOptions {
        store = Objects.requireNonNullElse(store, CheckpointStore.atomic());
        log = Objects.requireNonNullElse(log, s -> { });
    }

    /** @return no checkpoints, no resume. */
    public static CheckpointOptions none() {
        return new CheckpointOptions(null, null, null, null, null, false);
    }

    /** @param folder checkpoint folder. @return options writing checkpoints there. */
    public static CheckpointOptions in(Path folder) {
        return new CheckpointOptions(folder, null, null, null, null, false);
    }

    /** @param from checkpoint file or folder. @return a copy resuming from it. */
    public CheckpointOptions resumeFrom(Path from) {
        return new CheckpointOptions(folder, from, stop, store, log, overwrite);
    }

    /** @param signal stop requests. @return a copy consulting it. */
    public CheckpointOptions stopOn(StopSignal signal) {
        return new CheckpointOptions(folder, resumeFrom, signal, store, log, overwrite);
    }

    /** @param s the writer. @return a copy writing through it. */
    public CheckpointOptions withStore(CheckpointStore s) {
        return new CheckpointOptions(folder, resumeFrom, stop, s, log, overwrite);
    }

    /** @param l line consumer. @return a copy logging there. */
    public CheckpointOptions logTo(Consumer<String> l) {
        return new CheckpointOptions(folder, resumeFrom, stop, store, l, overwrite);
    }

    /** @param replace whether to delete conflicting checkpoints. @return a copy with that setting. */
    public CheckpointOptions overwrite(boolean replace) {
        return new CheckpointOptions(folder, resumeFrom, stop, store, log, replace);
    }
}
