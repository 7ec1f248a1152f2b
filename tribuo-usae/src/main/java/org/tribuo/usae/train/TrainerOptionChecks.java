package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.Config;

/**
 * The trainer's options as names and text: what a flag, a {@code field=value} list ({@code --set}, the benchmark's
 * {@code +key=value}) or a program's override map may name, and whether its value parses as the option's type, each
 * refused in one line where it was typed rather than when the trainer is configured.
 */
public final class TrainerOptionChecks {
    private TrainerOptionChecks() {
    }

    /**
     * @return the trainer's option names (its OLCUT {@code @Config} fields), in declaration order: what a config file,
     *     a recipe and a command line may set.
     */
    public static java.util.List<String> names() {
        return java.util.Arrays.stream(UsaeTrainer.class.getDeclaredFields())
                .filter(f -> f.isAnnotationPresent(Config.class)).map(java.lang.reflect.Field::getName).toList();
    }

    /**
     * @param option an option name from a flag, a {@code field=value} list or a program.
     * @param origin where it came from, for the message ("--set").
     * @throws IllegalArgumentException in one line listing the options, when the trainer has no such option (a
     *     typo, or a name that changed).
     */
    public static void require(String option, String origin) {
        if (!names().contains(option)) {
            throw new IllegalArgumentException(origin + ": '" + option + "' is not a trainer option; expected one of "
                    + String.join(", ", names()));
        }
    }

    /**
     * Checks an option given as text (a {@code --set} or {@code +key=value} list, a config override) against the
     * option's type, so a bad value fails in one line where it was typed, not when the trainer is configured.
     * @param option an option name.
     * @param value  its value as text.
     * @param origin where it came from, for the message ("--set").
     * @throws IllegalArgumentException naming the option, the value and the type expected (or, for an unknown
     *     option, listing the options).
     */
    public static void requireValue(String option, String value, String origin) {
        require(option, origin);
        Class<?> type;
        try {
            type = UsaeTrainer.class.getDeclaredField(option).getType();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("trainer option " + option + " has no field", e);
        }
        String v = value.strip();
        String expected = null;
        try {
            if (type == int.class || type == Integer.class) {
                expected = "an integer";
                Integer.parseInt(v);
            } else if (type == long.class || type == Long.class) {
                expected = "an integer";
                Long.parseLong(v);
            } else if (type == double.class || type == Double.class) {
                expected = "a number";
                Double.parseDouble(v);
            } else if (type == boolean.class || type == Boolean.class) {
                expected = "true or false";
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException();
                }
            } else if (type.isEnum()) {
                expected = "one of " + java.util.Arrays.toString(type.getEnumConstants());
                boolean known = false;
                for (Object c : type.getEnumConstants()) {
                    known |= ((Enum<?>) c).name().equals(v);
                }
                if (!known) {
                    throw new IllegalArgumentException();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + option + "='" + value + "' is not " + expected
                    + " (trainer option " + option + ")");
        }
    }
}
