package org.tribuo.usae.model;

import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a saved model with errors that name the file. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Every command that reads a model reads it here, through Tribuo's protobuf loader and so through
     * the model's SHA-256 check.
     * @param path a model.usae file, or a training output folder holding one.
     * @return the model.
     * @throws IllegalArgumentException naming the file when it is missing, unreadable, not a USAE model, or corrupt.
     */
    public static UsaeModel load(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("--model is required");
        }
        Path file = Files.isDirectory(path) ? path.resolve("model.usae") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no model file at " + file);
        }
        Model<?> m;
        try {
            m = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            CorruptModelException corrupt = corruption(e);
            if (corrupt != null) {
                // the file is a USAE model that fails its own check: saying what a model file should be would mislead
                throw new IllegalArgumentException(file + ": " + corrupt.getMessage());
            }
            throw new IllegalArgumentException(file + " is not a readable USAE model file (" + reason(e)
                    + "); expected the model.usae written by usae train");
        }
        if (!(m instanceof UsaeModel u)) {
            throw new IllegalArgumentException(file + " holds a " + m.getClass().getName() + ", not a USAE model");
        }
        return u;
    }

    /**
     * Writes a model file in the current format, crash-safely (the target is the old file, absent, or the whole new one).
     * @param model the model.
     * @param file  the model.usae to write.
     */
    public static void save(UsaeModel model, Path file) {
        org.tribuo.usae.data.AtomicFiles.write(file, model.serialize().toByteArray());
    }

    /**
     * @param path a model.usae file, or a training output folder holding one.
     * @return the folder outputs derived from the model (analysis.json, report.html) go to.
     */
    public static Path folderOf(Path path) {
        Path abs = path.toAbsolutePath();
        return Files.isDirectory(abs) ? abs : abs.getParent();
    }

    /** The model's integrity-check failure in the cause chain (Tribuo wraps it in reflection errors), or null. */
    private static CorruptModelException corruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CorruptModelException c) {
                return c;
            }
        }
        return null;
    }

    /** The most specific message in the cause chain (Tribuo wraps the model's own error in reflection errors). */
    private static String reason(Throwable e) {
        String msg = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getMessage();
            }
        }
        return msg == null ? e.toString() : msg;
    }
}
