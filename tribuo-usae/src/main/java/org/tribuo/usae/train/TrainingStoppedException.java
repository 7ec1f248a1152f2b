package org.tribuo.usae.train;

import java.nio.file.Path;

/** Training stopped on request at a step boundary, after writing a checkpoint. */
public final class TrainingStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path checkpoint;
    private final long step;

    /** @param checkpoint the checkpoint written. @param step steps completed. @param total total steps. */
    public TrainingStoppedException(Path checkpoint, long step, long total) {
        super("Training stopped at step " + step + " of " + total + "; checkpoint written to " + checkpoint);
        this.checkpoint = checkpoint;
        this.step = step;
    }

    /** @return the checkpoint written when stopping. */
    public Path checkpoint() { return checkpoint; }

    /** @return steps completed. */
    public long step() { return step; }
}
