package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.train.UsaeTrainer;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train flags name trainer options that exist: a renamed trainer field fails here, not in a user's run. */
class TrainOptionsTest {
    @Test
    void everyFlagOverridesAnExistingTrainerOption() throws Exception {
        TrainOptions opts = new TrainOptions();
        for (Field f : TrainOptions.class.getFields()) {
            if (f.getType() == String.class) {
                f.set(opts, switch (f.getName()) {
                    case "recipe" -> "aligned";
                    case "engine" -> "cpu";
                    default -> "1";
                });
            } else if (f.getType() == boolean.class) {
                f.set(opts, true);
            } else if (f.getType() == Path.class) {
                f.set(opts, Path.of("x"));
            }
        }
        Map<String, String> overrides = opts.overrides();
        assertFalse(overrides.isEmpty());
        for (String option : overrides.keySet()) {
            assertTrue(UsaeTrainer.optionNames().contains(option), "flag sets '" + option + "', not a trainer option");
        }
    }
}
