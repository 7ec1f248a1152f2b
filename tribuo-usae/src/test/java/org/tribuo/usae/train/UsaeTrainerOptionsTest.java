package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed trainer options: every flag sets an existing trainer option with a value of its type. */
class UsaeTrainerOptionsTest {
    /** Every option set, each to a value of its type. */
    private static UsaeTrainerOptions everySet() throws Exception {
        UsaeTrainerOptions opts = new UsaeTrainerOptions();
        for (Field f : UsaeTrainerOptions.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(opts, switch (f.getName()) {
                    case "recipe" -> "sparc";
                    case "engine" -> "reference";
                    default -> throw new AssertionError("a new String option needs a value here: " + f.getName());
                });
            } else if (t == Long.class) {
                f.set(opts, 2L);
            } else if (t == Integer.class) {
                f.set(opts, 2);
            } else if (t == Double.class) {
                f.set(opts, 0.25);
            } else if (t == boolean.class) {
                f.set(opts, true);
            } else {
                throw new AssertionError("option " + f.getName() + " has type " + t + ", not handled here");
            }
        }
        return opts;
    }

    @Test
    void everyFlagSetsAnExistingTrainerOptionWithAValueOfItsType() throws Exception {
        UsaeTrainerOptions opts = everySet();
        Map<String, String> overrides = opts.overrides();
        long fields = java.util.Arrays.stream(UsaeTrainerOptions.class.getFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).count();
        assertEquals(fields, overrides.size(), "every option sets one trainer option: " + overrides);
        for (String option : overrides.keySet()) {
            assertTrue(TrainerOptionChecks.names().contains(option), "a flag sets '" + option + "', not a trainer option");
        }
        assertEquals("SPARC", overrides.get("recipe"));
        assertEquals("REFERENCE", overrides.get("engine"));
        // the trainer takes every value: the types agree (ortReducedPrecision is refused later, by the engine)
        opts.ortTf32 = false;
        UsaeTrainer trainer = opts.getTrainer();
        assertEquals(2L, trainer.settingsFor(new int[]{8, 8}, 1000).steps());
    }

    @Test
    void aValueOfTheWrongTypeFailsWhenTheCommandLineIsParsed() {
        UsaeTrainerOptions opts = new UsaeTrainerOptions();
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new ConfigurationManager(new String[]{"--k", "many"}, opts));
        assertTrue(e.getMessage().contains("many") || String.valueOf(e.getCause()).contains("many"), e.toString());
        IllegalArgumentException recipe = assertThrows(IllegalArgumentException.class, () -> {
            UsaeTrainerOptions o = new UsaeTrainerOptions();
            o.recipe = "fastest";
            o.overrides();
        });
        assertTrue(recipe.getMessage().startsWith("--recipe: 'fastest' is not a recipe; expected one of aligned,"),
                recipe.getMessage());
    }
}
