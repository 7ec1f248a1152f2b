package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.train.FolderLock;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.ActivationValueCheck;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.train.CheckpointException;
import org.tribuo.usae.train.CheckpointOptions;
import org.tribuo.usae.train.CheckpointFiles;
import org.tribuo.usae.train.StopSignal;
import org.tribuo.usae.train.TrainingStoppedException;
import org.tribuo.usae.train.TrainerConfigXml;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code usae train}: trains a USAE on an activation set and writes the model and its evaluation. */
final class TrainCommand implements Usae.Command {
    @Override
    public String summary() {
        return "train a USAE on an activation set folder (<model>.npy files or a sharded manifest.json; config file and/or flags)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        TrainOptions opts = new TrainOptions();
        args = BareFlags.expand(args, TrainOptions.FLAGS);
        ConfigurationManager cm = new ConfigurationManager(args, defaultTrainer(args), opts, null, true);
        if (opts.data == null || opts.output == null) {
            throw new CliException("--data and --output are required (see usae train --help)");
        }
        Map<String, String> overrides = opts.overrides();
        // the flag's default applies only where the config file does not set the field: a config's own
        // holdOutFraction is what its author meant
        if (opts.holdOut == null && !configSets(cm, opts.trainerName, "holdOutFraction")) {
            overrides.put("holdOutFraction", TrainOptions.DEFAULT_HOLD_OUT);
        }
        UsaeTrainer trainer = trainer(cm, opts.trainerName, overrides);
        Path checkpointDir = opts.checkpointDir != null ? opts.checkpointDir : opts.output.resolve("checkpoints");
        // every output is checked before the data are read, so a bad path fails now, not after the run
        OutputPaths.requireWritableFolder("--output", opts.output);
        OutputPaths.requireWritableFolder("--checkpoint-dir", checkpointDir);
        for (String name : OUTPUT_FILES) {
            OutputPaths.requireWritableFile("--output", opts.output.resolve(name));
        }
        // Ctrl-C / SIGTERM: ask the loop to stop at the next step boundary and wait until it has
        // written its checkpoint and released the folder locks (the JVM exits when the hook returns,
        // with status 130 / 143)
        StopSignal stop = new StopSignal();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.request();
            try {
                finished.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "usae-checkpoint-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try (FolderLock outputLock = FolderLock.acquire(opts.output, "--output", out::println);
             FolderLock checkpointLock = checkpointDir.toAbsolutePath().normalize()
                     .startsWith(opts.output.toAbsolutePath().normalize()) ? null
                     : FolderLock.acquire(checkpointDir, "--checkpoint-dir", out::println)) {
            List<Path> earlier = earlierOutputs(opts.output);
            // with checkpoints there, the trainer refuses instead, naming the run they belong to
            if (opts.resume == null && !opts.overwrite && !earlier.isEmpty() && CheckpointFiles.list(checkpointDir).isEmpty()) {
                throw new CliException("--output " + opts.output + " holds the outputs of an earlier run ("
                        + earlier.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
                        + "); continue that run with --resume " + opts.output + ", start over with --overwrite"
                        + " (deletes them), or choose another folder");
            }
            trainer.addListener(new ProgressBar(System.err));
            train(opts, trainer, checkpointDir, stop, out);
        } catch (CheckpointException e) {
            throw new CliException(e.getMessage());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (signal): the hook is running and now returns
            }
        }
    }

    /** The files a run writes into its output folder. */
    static final List<String> OUTPUT_FILES = List.of("model.usae", "trainer-config.xml", "eval.json", "eval.txt");

    /** @return the {@link #OUTPUT_FILES} present in the folder. */
    private static List<Path> earlierOutputs(Path folder) {
        return OUTPUT_FILES.stream().map(folder::resolve).filter(Files::exists).toList();
    }

    /** Trains and writes the outputs, with the output folder locked. */
    private static void train(TrainOptions opts, UsaeTrainer trainer, Path checkpointDir, StopSignal stop, PrintStream out)
            throws Exception {
        try (ActivationSet set = ActivationSets.open(opts.data)) {
            out.println("Training on " + opts.data + ": " + set.rows() + " rows, models " + set.modelNames());
            if (opts.noVerify) {
                out.println("Not verifying the data (--no-verify): the manifest's sha256 values and the activations' "
                        + "values (non-finite, absurd magnitudes) are not checked");
            } else {
                set.verify();
                // every row, held-out ones included: evaluation reads them too
                ActivationValueCheck.check(set, out::println);
            }
            out.println(trainer);
            if (opts.resume == null && opts.overwrite) {
                // a new run's outputs never sit next to another run's (its checkpoints go in train())
                for (Path p : earlierOutputs(opts.output)) {
                    Files.delete(p);
                    out.println("Deleted " + p + " (--overwrite)");
                }
            }
            CheckpointOptions checkpoints = CheckpointOptions.in(checkpointDir).stopOn(stop).logTo(out::println)
                    .resumeFrom(opts.resume).overwrite(opts.overwrite);
            UsaeModel model;
            try {
                model = trainer.train(set, checkpoints);
            } catch (TrainingStoppedException e) {
                out.println("Interrupted at step " + e.step() + "; checkpoint written to " + e.checkpoint()
                        + "\nResume with the same options plus: --resume " + opts.output);
                out.flush();
                throw new CliException("training interrupted at step " + e.step() + "; checkpoint " + e.checkpoint());
            }
            writeOutputs(model, trainer, set, opts.output, out);
        }
    }

    /**
     * Without a config file, a default trainer component exists from the start, so OLCUT's
     * {@code --@trainer.field value} overrides work with flags alone.
     */
    private static List<ConfigurationData> defaultTrainer(String[] args) {
        String name = "trainer";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-c") || args[i].equals("--config-file")) {
                return List.of();
            }
            if (args[i].equals("--trainer") && i + 1 < args.length) {
                name = args[i + 1];
            }
        }
        return List.of(new ConfigurationData(name, UsaeTrainer.class.getName()));
    }

    /**
     * The trainer from the config file (if any) with flag overrides applied.
     * @param cm configuration manager holding the parsed config file.
     * @param name component name.
     * @param overrides field overrides.
     * @return the configured trainer (postConfig validated).
     */
    /** @return whether the config file's component {@code name} sets {@code field}. */
    static boolean configSets(ConfigurationManager cm, String name, String field) {
        return cm.getConfigurationData(name).map(cd -> cd.getProperties().containsKey(field)).orElse(false);
    }

    static UsaeTrainer trainer(ConfigurationManager cm, String name, Map<String, String> overrides) {
        if (!cm.getComponentNames().contains(name)) {
            if (!cm.getComponentNames().isEmpty()) {
                throw new CliException("the config file has no component named '" + name + "'; it has "
                        + cm.getComponentNames() + " (choose one with --trainer)");
            }
            cm.addConfiguration(new ConfigurationData(name, UsaeTrainer.class.getName()));
        }
        String type = cm.getConfigurationData(name).map(ConfigurationData::getClassName).orElse("?");
        Class<?> cls;
        try {
            cls = Class.forName(type);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CliException("component '" + name + "' has type " + type + ", which is not a class here; expected "
                    + UsaeTrainer.class.getName());
        }
        if (!UsaeTrainer.class.isAssignableFrom(cls)) {
            throw new CliException("component '" + name + "' is a " + type + ", expected " + UsaeTrainer.class.getName());
        }
        overrides.keySet().forEach(field -> UsaeTrainer.requireOption(field, "trainer override"));
        overrides.forEach((field, value) -> cm.overrideConfigurableProperty(name, field, new SimpleProperty(value)));
        Object c = cm.lookup(name);
        if (c == null) {
            throw new CliException("component '" + name + "' of type " + type + " could not be created");
        }
        if (!(c instanceof UsaeTrainer t)) {
            throw new CliException("component '" + name + "' is a " + c.getClass().getName() + ", expected "
                    + UsaeTrainer.class.getName());
        }
        return t;
    }

    /**
     * model.usae, trainer-config.xml and, with held-out rows, eval.json / eval.txt; each atomic.
     * Everything is computed before the first file is written, and files this call wrote are
     * removed again if a later one fails, so a failed run leaves no partial output.
     */
    static void writeOutputs(UsaeModel model, UsaeTrainer trainer, ActivationSet set, Path outDir, PrintStream out)
            throws IOException {
        byte[] modelBytes = model.serialize().toByteArray();
        long trainRows = trainer.trainRows(set.rows());
        EvaluationReport report = trainRows < set.rows() ? ModelEvaluation.evaluate(model, set, trainRows, set.rows(),
                Math.min(4096, (int) (set.rows() - trainRows))) : null;
        Files.createDirectories(outDir);
        Path modelFile = outDir.resolve("model.usae");
        List<Path> written = new java.util.ArrayList<>();
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
        out.println("Wrote " + modelFile);
        if (report != null) {
            out.println("\nHeld-out evaluation (" + (set.rows() - trainRows) + " rows):\n" + report.toText());
            out.println("Wrote " + outDir.resolve("eval.json") + " and eval.txt");
        }
    }

    /** The trainer configuration recovered from the model's provenance: re-running it reproduces the model. */
    static void writeTrainerConfig(UsaeModel model, Path file) {
        AtomicFiles.writeString(file, TrainerConfigXml.of(model.getProvenance().getTrainerProvenance()));
    }
}
