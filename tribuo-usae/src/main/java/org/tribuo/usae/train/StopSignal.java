package org.tribuo.usae.train;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks a training run to stop at the next step boundary (e.g. from a SIGINT/SIGTERM shutdown hook).
 * The loop never stops inside a step: it finishes the step, writes a checkpoint and throws
 * {@link TrainingStoppedException}.
 */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();

    /** Requests a stop; safe from any thread. */
    public void request() {
        requested.set(true);
    }

    /** @return true once a stop was requested. */
    public boolean isRequested() {
        return requested.get();
    }
}
