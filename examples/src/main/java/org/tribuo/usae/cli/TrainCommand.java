package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.tribuo.usae.pipeline.Training;
import org.tribuo.usae.pipeline.TrainingOptions;
import org.tribuo.usae.train.CheckpointException;
import org.tribuo.usae.train.StopSignal;
import org.tribuo.usae.train.TrainingStoppedException;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code usae train}: trains a USAE on an activation set and writes the model and its evaluation. A thin adapter over
 * the library's training job ({@link Training}): it builds the trainer from the config file and flags, attaches the
 * progress bar, and turns Ctrl-C / SIGTERM into a stop request.
 */
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
        TrainingOptions job = opts.run;
        job.validate();
        Map<String, String> overrides = opts.overrides();
        // the flag's default applies only where the config file does not set the field: a config's own
        // holdOutFraction is what its author meant
        if (opts.trainer.holdOut == null && !Training.configSets(cm, opts.trainerName, "holdOutFraction")) {
            overrides.put("holdOutFraction", TrainOptions.DEFAULT_HOLD_OUT);
        }
        UsaeTrainer trainer = Training.trainer(cm, opts.trainerName, overrides);
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
        try {
            trainer.addListener(new ProgressBar(System.err));
            Training.run(trainer, job, stop, out);
        } catch (TrainingStoppedException e) {
            out.println("Interrupted at step " + e.step() + "; checkpoint written to " + e.checkpoint()
                    + "\nResume with the same options plus: --resume " + job.output);
            out.flush();
            throw new CliException("training interrupted at step " + e.step() + "; checkpoint " + e.checkpoint());
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
}
