package org.tribuo.usae.train;

import org.tribuo.usae.engine.StepMemory;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.Architecture;

import java.util.Arrays;
import java.util.Locale;

/**
 * The Java heap a training run needs, estimated from its resolved settings before anything large
 * is allocated, so a run that cannot fit is refused with the -Xmx to use instead of dying with an
 * OutOfMemoryError hours in. Activation files are memory-mapped and not counted.
 *
 * <p>With m latents, widths d_i (D = sum d_i, M models), B rows per batch, in float32 values:
 * <pre>
 *   parameters   P = sum_i (2 m d_i + m [+ d_i input bias] [+ 4 m BatchNorm])
 *   AdamW        2 P (first and second moments)
 *   batch        2 B D (the batch read and its standardised copy)
 *   engine       what the engine's step holds: its own model ({@link StepMemory}), e.g. the CPU engine's gradients,
 *                decoders and scratch, or a fused engine's staged chunk
 * </pre>
 * plus 8 M m bytes of dead-latent counters, 4 bytes per row of the shuffle window (every training
 * row up to 2 x {@link org.tribuo.usae.data.BatchStream#DEFAULT_MIX_ROWS}, the most one window holds) and 8 bytes
 * per standardisation sample.
 *
 * @param bytes estimated heap bytes.
 * @param parameterBytes of which parameters.
 * @param optimizerBytes of which AdamW moments.
 * @param stepBytes of which the engine's step and the batch.
 */
public record MemoryEstimate(long bytes, long parameterBytes, long optimizerBytes, long stepBytes) {
    /** Fraction of the maximum heap a run may plan to use; the rest is headroom for the GC and the JVM. */
    public static final double USABLE_FRACTION = 0.8;

    /**
     * @param settings resolved settings.
     * @param dims model widths.
     * @param trainRows rows trained on.
     * @param engine the engine that will run (per step: a chunk of one).
     * @return the estimate.
     */
    public static MemoryEstimate of(TrainingSettings settings, int[] dims, long trainRows, EngineKind engine) {
        return of(settings, dims, trainRows, FusedStepEngines.memory(engine), 1);
    }

    /**
     * @param settings   resolved settings.
     * @param dims       model widths.
     * @param trainRows  rows trained on.
     * @param engine     the engine's heap model.
     * @param chunkSteps steps per engine call.
     * @return the estimate.
     */
    public static MemoryEstimate of(TrainingSettings settings, int[] dims, long trainRows, StepMemory engine,
                                    int chunkSteps) {
        Architecture arch = settings.architecture();
        long m = arch.numLatents();
        long b = Math.min(settings.batchSize(), trainRows);
        long sumD = Arrays.stream(dims).asLongStream().sum();
        long paramBytes = 4 * StepMemory.parameterFloats(arch, dims);
        long optimizerBytes = 2 * paramBytes;
        long stepBytes = engine.bytes(arch, settings.objective(), dims, b, chunkSteps) + 4 * 2 * b * sumD;
        long shuffleRows = Math.min(trainRows, 2L * org.tribuo.usae.data.BatchStream.DEFAULT_MIX_ROWS);
        long other = 8 * dims.length * m + 4 * shuffleRows + 8L * settings.standardizationRows();
        return new MemoryEstimate(paramBytes + optimizerBytes + stepBytes + other, paramBytes, optimizerBytes, stepBytes);
    }

    /**
     * @param maxHeap the heap limit, normally {@code Runtime.getRuntime().maxMemory()}.
     * @return true when the run fits in {@link #USABLE_FRACTION} of it.
     */
    public boolean fits(long maxHeap) {
        return bytes <= USABLE_FRACTION * maxHeap;
    }

    /** @return the -Xmx that leaves the headroom: the estimate over the usable fraction, in whole GiB. */
    public long recommendedHeapGiB() {
        return Math.max(1, (long) Math.ceil(bytes / USABLE_FRACTION / (1L << 30)));
    }

    /**
     * @param maxHeap the heap limit.
     * @param settings the settings estimated (named in the message).
     * @param dims model widths.
     * @throws IllegalStateException saying what is needed and which -Xmx to use, when the run does not fit.
     */
    public void requireFits(long maxHeap, TrainingSettings settings, int[] dims) {
        if (fits(maxHeap)) {
            return;
        }
        Architecture arch = settings.architecture();
        throw new IllegalStateException(String.format(Locale.ROOT,
                "Training needs about %s of Java heap (parameters %s, AdamW moments %s, gradients and per-step "
                        + "buffers %s) for m=%d latents, widths %s, %d rows per batch (%s, %s), but the heap limit is %s; "
                        + "run with -Xmx%dg (for the usae script: USAE_JAVA_OPTS=-Xmx%dg) or lower numLatents/batchSize",
                human(bytes), human(parameterBytes), human(optimizerBytes), human(stepBytes), arch.numLatents(),
                Arrays.toString(dims), settings.batchSize(), arch.encoder(),
                arch.sparsityBlock().label(), human(maxHeap),
                recommendedHeapGiB(), recommendedHeapGiB()));
    }

    /** @param bytes a size. @return e.g. "3.2 GiB". */
    static String human(long bytes) {
        if (bytes < (1L << 20)) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        } else if (bytes < (1L << 30)) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
