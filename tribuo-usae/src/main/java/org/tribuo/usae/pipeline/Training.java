package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.ActivationValueCheck;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.train.CheckpointFiles;
import org.tribuo.usae.train.CheckpointOptions;
import org.tribuo.usae.train.FolderLock;
import org.tribuo.usae.train.StopSignal;
import org.tribuo.usae.train.TrainerConfigXml;
import org.tribuo.usae.train.TrainerOptionChecks;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The training job, for a library user as for {@code usae train}: it checks every output path before reading the
 * data, locks the output (and checkpoint) folder against a second run, refuses an earlier run's outputs unless told to
 * resume or overwrite, opens the set once, verifies it, trains with crash-safe checkpoints, and writes
 * {@link #OUTPUT_FILES} all or nothing. A stop request ({@link StopSignal}, e.g. from a signal handler) ends the run at
 * the next step with a checkpoint: {@link org.tribuo.usae.train.TrainingStoppedException} says where.
 */
public final class Training {
    /** The files a run writes into its output folder. */
    public static final List<String> OUTPUT_FILES = List.of("model.usae", "trainer-config.xml", "eval.json", "eval.txt");
    /** The most held-out rows per evaluation batch. */
    private static final int EVALUATION_BATCH = 4096;

    private Training() {
    }

    /**
     * Trains and writes the outputs.
     * @param trainer the configured trainer (listeners attached by the caller).
     * @param opts    where the data and outputs are.
     * @param stop    stop requests, checked between steps.
     * @param log     progress lines.
     * @return the model, its held-out evaluation and the files written.
     * @throws IllegalArgumentException naming the option or folder at fault, before any data are read.
     * @throws org.tribuo.usae.train.TrainingStoppedException when a stop was requested (a checkpoint was written).
     */
    public static TrainingResult run(UsaeTrainer trainer, TrainingOptions opts, StopSignal stop, PrintStream log) {
        opts.validate();
        Path checkpointDir = opts.checkpointFolder();
        // every output is checked before the data are read, so a bad path fails now, not after the run
        OutputPaths.requireWritableFolder("--output", opts.output);
        OutputPaths.requireWritableFolder("--checkpoint-dir", checkpointDir);
        for (String name : OUTPUT_FILES) {
            OutputPaths.requireWritableFile("--output", opts.output.resolve(name));
        }
        boolean checkpointsInside = checkpointDir.toAbsolutePath().normalize()
                .startsWith(opts.output.toAbsolutePath().normalize());
        try (FolderLock outputLock = FolderLock.acquire(opts.output, "--output", log::println);
             FolderLock checkpointLock = checkpointsInside ? null
                     : FolderLock.acquire(checkpointDir, "--checkpoint-dir", log::println)) {
            List<Path> earlier = earlierOutputs(opts.output);
            // with checkpoints there, the trainer refuses instead, naming the run they belong to
            if (opts.resume == null && !opts.overwrite && !earlier.isEmpty() && CheckpointFiles.list(checkpointDir).isEmpty()) {
                throw new IllegalArgumentException("--output " + opts.output + " holds the outputs of an earlier run ("
                        + earlier.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
                        + "); continue that run with --resume " + opts.output + ", start over with --overwrite"
                        + " (deletes them), or choose another folder");
            }
            try (ActivationSet set = ActivationSets.open(opts.data)) {
                log.println("Training on " + opts.data + ": " + set.rows() + " rows, models " + set.modelNames());
                if (opts.noVerify) {
                    log.println("Not verifying the data (--no-verify): the manifest's sha256 values and the activations' "
                            + "values (non-finite, absurd magnitudes) are not checked");
                } else {
                    set.verify();
                    // every row, held-out ones included: evaluation reads them too
                    ActivationValueCheck.check(set, log::println);
                }
                log.println(trainer);
                if (opts.resume == null && opts.overwrite) {
                    // a new run's outputs never sit next to another run's (the trainer deletes its checkpoints)
                    for (Path p : earlier) {
                        Files.delete(p);
                        log.println("Deleted " + p + " (--overwrite)");
                    }
                }
                CheckpointOptions checkpoints = CheckpointOptions.in(checkpointDir).stopOn(stop).logTo(log::println)
                        .resumeFrom(opts.resume).overwrite(opts.overwrite);
                UsaeModel model = trainer.train(set, checkpoints);
                return writeOutputs(model, trainer, set, opts.output, log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** @return the {@link #OUTPUT_FILES} present in the folder. */
    private static List<Path> earlierOutputs(Path folder) {
        return OUTPUT_FILES.stream().map(folder::resolve).filter(Files::exists).toList();
    }

    /**
     * Writes model.usae, trainer-config.xml and, with held-out rows, eval.json / eval.txt; each atomically.
     * Everything is computed before the first file is written, and files this call wrote are removed again if a
     * later one fails, so a failed run leaves no partial output.
     * @param model   the trained model.
     * @param trainer its trainer (for the hold-out split).
     * @param set     the set it was trained on, open.
     * @param outDir  the output folder.
     * @param log     progress lines.
     * @return the model, its evaluation and the files written.
     * @throws IOException when a file cannot be written.
     */
    public static TrainingResult writeOutputs(UsaeModel model, UsaeTrainer trainer, ActivationSet set, Path outDir,
                                              PrintStream log) throws IOException {
        byte[] modelBytes = model.serialize().toByteArray();
        long trainRows = trainer.trainRows(set.rows());
        long heldOut = set.rows() - trainRows;
        EvaluationReport report = heldOut > 0 ? ModelEvaluation.evaluate(model, set, trainRows, set.rows(),
                (int) Math.min(EVALUATION_BATCH, heldOut)) : null;
        Files.createDirectories(outDir);
        Path modelFile = outDir.resolve("model.usae");
        List<Path> written = new ArrayList<>();
        try {
            written.add(modelFile);
            AtomicFiles.write(modelFile, modelBytes);
            written.add(outDir.resolve("trainer-config.xml"));
            writeTrainerConfig(model, outDir.resolve("trainer-config.xml"));
            if (report != null) {
                written.add(outDir.resolve("eval.json"));
                AtomicFiles.writeString(outDir.resolve("eval.json"), report.toJson());
                written.add(outDir.resolve("eval.txt"));
                AtomicFiles.writeString(outDir.resolve("eval.txt"), report.toText());
            }
        } catch (RuntimeException e) {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
        log.println("Wrote " + modelFile);
        if (report != null) {
            log.println("\nHeld-out evaluation (" + heldOut + " rows):\n" + report.toText());
            log.println("Wrote " + outDir.resolve("eval.json") + " and eval.txt");
        }
        return new TrainingResult(model, report, report == null ? 0 : heldOut, written);
    }

    /**
     * The trainer configuration recovered from the model's provenance: re-running it reproduces the model.
     * @param model a trained model.
     * @param file  where to write the OLCUT configuration.
     */
    public static void writeTrainerConfig(UsaeModel model, Path file) {
        AtomicFiles.writeString(file, TrainerConfigXml.of(model.getProvenance().getTrainerProvenance()));
    }

    /**
     * The trainer component {@code name} of a configuration (a new default trainer when the configuration is empty),
     * with option overrides applied by name; each name is checked against {@link TrainerOptionChecks#names()}.
     * @param cm        the configuration manager, holding a parsed config file or nothing.
     * @param name      the component's name.
     * @param overrides trainer option values by option name.
     * @return the configured trainer (postConfig validated).
     * @throws IllegalArgumentException naming the component, its type or the unknown option.
     */
    public static UsaeTrainer trainer(ConfigurationManager cm, String name, Map<String, String> overrides) {
        if (!cm.getComponentNames().contains(name)) {
            if (!cm.getComponentNames().isEmpty()) {
                throw new IllegalArgumentException("the config file has no component named '" + name + "'; it has "
                        + cm.getComponentNames() + " (choose one with --trainer)");
            }
            cm.addConfiguration(new ConfigurationData(name, UsaeTrainer.class.getName()));
        }
        String type = cm.getConfigurationData(name).map(ConfigurationData::getClassName).orElse("?");
        Class<?> cls;
        try {
            cls = Class.forName(type);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("component '" + name + "' has type " + type
                    + ", which is not a class here; expected " + UsaeTrainer.class.getName());
        }
        if (!UsaeTrainer.class.isAssignableFrom(cls)) {
            throw new IllegalArgumentException("component '" + name + "' is a " + type + ", expected "
                    + UsaeTrainer.class.getName());
        }
        overrides.forEach((field, value) -> TrainerOptionChecks.requireValue(field, value, "trainer override"));
        overrides.forEach((field, value) -> cm.overrideConfigurableProperty(name, field, new SimpleProperty(value)));
        Object c = cm.lookup(name);
        if (!(c instanceof UsaeTrainer t)) {
            throw new IllegalArgumentException("component '" + name + "' of type " + type + " could not be created");
        }
        return t;
    }

    /**
     * @param cm    a configuration manager.
     * @param name  a component's name.
     * @param field an option name.
     * @return whether the configuration's component sets the option.
     */
    public static boolean configSets(ConfigurationManager cm, String name, String field) {
        return cm.getConfigurationData(name).map(cd -> cd.getProperties().containsKey(field)).orElse(false);
    }
}
