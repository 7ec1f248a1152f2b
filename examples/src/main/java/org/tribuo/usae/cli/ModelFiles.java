package org.tribuo.usae.cli;

import org.tribuo.Model;
import org.tribuo.usae.model.UsaeModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a saved model with errors that name the file. */
final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * @param path a model.usae file, or a training output folder holding one.
     * @return the model.
     */
    static UsaeModel load(Path path) {
        if (path == null) {
            throw new CliException("--model is required");
        }
        Path file = Files.isDirectory(path) ? path.resolve("model.usae") : path;
        if (!Files.isRegularFile(file)) {
            throw new CliException("no model file at " + file);
        }
        Model<?> m;
        try {
            m = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new CliException(file + " is not a readable Tribuo protobuf model: " + e.getMessage());
        }
        if (!(m instanceof UsaeModel u)) {
            throw new CliException(file + " holds a " + m.getClass().getName() + ", not a USAE model");
        }
        return u;
    }
}
