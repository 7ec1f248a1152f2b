package org.tribuo.usae.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * Process-wide wall-time accumulators for the phases of a CPU training step, for benchmarks. Off by
 * default: then {@link #start()} returns 0 without reading the clock and {@link #stop} returns at
 * once, so the hot path pays one volatile read per phase and allocates nothing either way. Meant
 * for one training thread at a time (the accumulators are plain longs).
 */
public final class PhaseTimer {
    /** The phases of a step, in order. */
    public enum Phase {
        /** Encoder GEMM (+ BatchNorm forward). */
        ENCODE,
        /** TopK and aux latent selection. */
        SELECT,
        /** Decoding codes into targets (main and aux) and the effective dictionaries. */
        DECODE,
        /** Residuals, criteria and their gradients. */
        LOSS,
        /** Back-propagation into codes, dictionaries and encoders. */
        BACKWARD,
        /** Running statistics, projection, clipping, AdamW, dead-latent re-initialisation. */
        OPTIMIZER
    }

    private static volatile boolean enabled;
    private static final long[] NANOS = new long[Phase.values().length];

    private PhaseTimer() {
    }

    /** @param on whether phases are timed from now on. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Zeroes the accumulators. */
    public static void reset() {
        java.util.Arrays.fill(NANOS, 0L);
    }

    /** @return a start stamp ({@code System.nanoTime()}), or 0 when timing is off. */
    public static long start() {
        return enabled ? System.nanoTime() : 0L;
    }

    /**
     * Adds the time since {@code start} to the phase.
     * @param phase the phase.
     * @param start a stamp from {@link #start()}.
     * @return a new stamp, so consecutive phases can chain (0 when timing is off).
     */
    public static long stop(Phase phase, long start) {
        if (!enabled) {
            return 0L;
        }
        long now = System.nanoTime();
        NANOS[phase.ordinal()] += now - start;
        return now;
    }

    /** @return seconds accumulated per phase since the last {@link #reset()}. */
    public static Map<Phase, Double> seconds() {
        Map<Phase, Double> out = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            out.put(p, NANOS[p.ordinal()] / 1e9);
        }
        return out;
    }
}
