package org.tribuo.usae.train;

import org.tribuo.usae.data.BatchStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides when to checkpoint and writes checkpoints; the training loop consults it between steps
 * only, so a checkpoint never holds a half-finished step. Keeps the newest {@code keep} files.
 */
final class CheckpointSchedule {
    private final CheckpointOptions options;
    private final long everySteps;
    private final double everyMinutes;
    private final int keep;
    private final BatchStream batches;
    private final TrainingCheckpointMeta meta;
    private long lastWrite = System.nanoTime();
    private long lastStepWritten = -1;

    /** Everything a checkpoint records besides the training state and the stream position. */
    record TrainingCheckpointMeta(long totalSteps, long dataSeed, int batchSize, long trainRows, String settings,
                                  String trainerConfig, int invocationCount, List<String> names, int[] dims,
                                  String dataFingerprint) {
    }

    CheckpointSchedule(CheckpointOptions options, long everySteps, double everyMinutes, int keep, BatchStream batches,
                 TrainingCheckpointMeta meta) {
        this.options = options;
        this.everySteps = everySteps;
        this.everyMinutes = everyMinutes;
        this.keep = keep;
        this.batches = batches;
        this.meta = meta;
        removeStaleTempFiles();
    }

    /** Temp files of writes a crash or kill interrupted (never valid checkpoints; the name says so). */
    private void removeStaleTempFiles() {
        if (options.folder() == null || !Files.isDirectory(options.folder())) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.list(options.folder())) {
            for (Path p : s.filter(f -> TEMP.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(p);
                options.log().accept("Removed " + p + " (left by an interrupted checkpoint write)");
            }
        } catch (IOException e) {
            options.log().accept("Could not clean temp files in " + options.folder() + ": " + e.getMessage());
        }
    }

    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\.ckpt-\\d{12}\\.usaeckpt\\..*\\.tmp");

    /** Called after each complete step: writes when due; on a stop request writes and throws. */
    void afterStep(TrainingState state) {
        if (options.stop() != null && options.stop().isRequested()) {
            Path written = options.folder() == null ? null : write(state);
            throw new TrainingStoppedException(written, state.globalStep(), meta.totalSteps());
        }
        if (options.folder() == null) {
            return;
        }
        boolean due = everySteps > 0 && state.globalStep() % everySteps == 0;
        due |= everyMinutes > 0 && (System.nanoTime() - lastWrite) >= everyMinutes * 60e9;
        if (due) {
            write(state);
        }
    }

    /** Called when the last step is done: the final checkpoint. */
    void atEnd(TrainingState state) {
        if (options.folder() != null && lastStepWritten != state.globalStep()) {
            write(state);
        }
    }

    /** @return the file written. @throws CheckpointException naming it if writing fails. */
    Path write(TrainingState state) {
        Path file = options.folder().resolve(CheckpointFiles.fileName(state.globalStep()));
        TrainingCheckpoint c = new TrainingCheckpoint(state, meta.totalSteps(), batches.position(), meta.dataSeed(),
                meta.batchSize(), meta.trainRows(), meta.settings(), meta.trainerConfig(), meta.invocationCount(),
                meta.names(), meta.dims(), System.currentTimeMillis(), meta.dataFingerprint());
        try {
            options.store().write(file, CheckpointFiles.encode(c));
        } catch (IOException | RuntimeException e) {
            List<Path> previous = CheckpointFiles.list(options.folder());
            throw new CheckpointException("Could not write checkpoint " + file + ": " + e.getMessage()
                    + (previous.isEmpty() ? "" : " (the previous checkpoint " + previous.get(0) + " is intact)"), e);
        }
        lastWrite = System.nanoTime();
        lastStepWritten = state.globalStep();
        options.log().accept("Checkpoint " + file + " (step " + state.globalStep() + " of " + meta.totalSteps() + ")");
        prune(state.globalStep());
        return file;
    }

    /** Keeps the newest {@code keep} checkpoints up to {@code step}; never the one just written. */
    private void prune(long step) {
        if (keep <= 0) {
            return;
        }
        int kept = 0;
        for (Path p : CheckpointFiles.list(options.folder())) {
            long s = CheckpointFiles.stepOf(p);
            if (s > step) {
                continue;
            }
            if (++kept > keep) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    options.log().accept("Could not remove old checkpoint " + p + ": " + e.getMessage());
                }
            }
        }
    }
}
