package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;

import org.tribuo.usae.pipeline.TrainingOptions;
import org.tribuo.usae.train.UsaeTrainerOptions;

import java.util.Map;

/**
 * Options of {@code usae train}. Trainer fields come from an OLCUT config file ({@code -c}),
 * from these flags, or from {@code --@<trainer>.<field> value} for any field; flags win over the file.
 */
public final class TrainOptions implements Options {
    /** The boolean options, given bare on the command line (see {@link BareFlags}). */
    static final java.util.Set<String> FLAGS = java.util.stream.Stream.concat(UsaeTrainerOptions.FLAGS.stream(),
            TrainingOptions.FLAGS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The training job's own options: data, output, checkpoint folder, resume, overwrite, verification. */
    public TrainingOptions run;
    /** The trainer's options, typed: each flag's value is parsed (and refused in one line) with the command line. */
    public UsaeTrainerOptions trainer;
    @Option(longName = "trainer", usage = "Name of the trainer component in the config file (default: trainer).")
    public String trainerName = "trainer";
    /** {@code --hold-out} where neither the flag nor the config file sets it. */
    static final String DEFAULT_HOLD_OUT = "0.05";

    /** @return trainer option overrides given as flags, by option name. */
    Map<String, String> overrides() {
        try {
            return trainer.overrides();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
