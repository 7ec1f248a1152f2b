package org.tribuo.usae.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one way the jobs reject an option value: an {@link IllegalArgumentException} whose single line
 * names the option, repeats the value as typed and says what was expected, e.g.
 * {@code --min-positives: -5 is negative; expected a count >= 0 (SPARC uses 50)}. Each check returns the
 * value it accepted, so a command reads and checks an option in one place.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /**
     * @param option   the option with its dashes.
     * @param shown    the value as typed (strings quoted by the caller).
     * @param problem  what is wrong with it ("is negative").
     * @param expected what the option takes ("a count >= 0 (SPARC uses 50)").
     * @return the error to throw.
     */
    public static IllegalArgumentException bad(String option, String shown, String problem, String expected) {
        return new IllegalArgumentException(option + ": " + shown + " " + problem + "; expected " + expected);
    }

    /**
     * @param option the option.
     * @param value  its value.
     * @param min    the smallest value allowed.
     * @param what   what a value is ("a count").
     * @param note   a hint on typical values ("SPARC uses 50"), or null.
     * @return the value.
     * @throws IllegalArgumentException when {@code value < min}.
     */
    public static long atLeast(String option, long value, long min, String what, String note) {
        if (value < min) {
            throw bad(option, Long.toString(value), value < 0 ? "is negative" : "is too small",
                    what + " >= " + min + hint(note));
        }
        return value;
    }

    /**
     * @param option the option.
     * @param value  its value.
     * @param note   a hint on typical values, or null.
     * @return the value.
     * @throws IllegalArgumentException when it is NaN, infinite or negative.
     */
    public static double finiteNonNegative(String option, double value, String note) {
        String problem = Double.isNaN(value) ? "is not a number" : Double.isInfinite(value) ? "is not finite"
                : value < 0 ? "is negative" : null;
        if (problem != null) {
            throw bad(option, Double.toString(value), problem, "a finite number >= 0" + hint(note));
        }
        return value;
    }

    /**
     * @param option the option.
     * @param value  its value.
     * @param note   a hint on typical values, or null.
     * @return the value.
     * @throws IllegalArgumentException when it is NaN, infinite, zero or negative.
     */
    public static double finitePositive(String option, double value, String note) {
        String problem = Double.isNaN(value) ? "is not a number" : Double.isInfinite(value) ? "is not finite"
                : value <= 0 ? "is not positive" : null;
        if (problem != null) {
            throw bad(option, Double.toString(value), problem, "a finite number > 0" + hint(note));
        }
        return value;
    }

    /**
     * @param option the option.
     * @param typed  its value as typed.
     * @param note   a hint on typical values, or null.
     * @return the value.
     * @throws IllegalArgumentException when it is not an integer of at least 1.
     */
    public static int positiveInteger(String option, String typed, String note) {
        int value;
        try {
            value = Integer.parseInt(typed.strip());
        } catch (NumberFormatException e) {
            throw bad(option, "'" + typed + "'", "is not an integer", "a positive integer" + hint(note));
        }
        if (value < 1) {
            throw bad(option, typed, "is not positive", "a positive integer" + hint(note));
        }
        return value;
    }

    /**
     * @param option the option.
     * @param typed  its value as typed (case and surrounding blanks do not matter).
     * @param type   the enum whose constant it names.
     * @param <E>    the enum.
     * @return the constant.
     * @throws IllegalArgumentException listing the constants when it names none.
     */
    public static <E extends Enum<E>> E oneOf(String option, String typed, Class<E> type) {
        try {
            return Enum.valueOf(type, typed.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(option, "'" + typed + "'", "is unknown", "one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    private static String hint(String note) {
        return note == null ? "" : " (" + note + ")";
    }
}
