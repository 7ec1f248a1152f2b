package org.tribuo.usae.data;

/**
 * The one rule for model names, shared by set readers and the trainer: a name ends up as a file or
 * folder name (plain {@code <model>.npy} sets, dictionary export) and must be stored in every model
 * file, whose reader refuses an empty name. So a name is non-empty, is not {@code .} or {@code ..},
 * and has no {@code /}, {@code \} or control characters.
 */
public final class ModelNames {
    /** The rule in words, for error messages: "{@code <name> is not <RULE>}". */
    public static final String RULE = "a model name usable as a file name (non-empty; no '/', '\\', control characters, '.' or '..')";

    private ModelNames() {
    }

    /**
     * @param name a model name.
     * @return whether it follows the rule above.
     */
    public static boolean isFileSafe(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param name  a model name.
     * @param where whose name it is, for the message (e.g. "model #0 of the activation set").
     * @return the name.
     * @throws ActivationSetException "{@code <where>: model name '<name>' is not <RULE>}".
     */
    public static String require(String name, String where) {
        if (!isFileSafe(name)) {
            throw new ActivationSetException(where + ": model name '" + (name == null ? "null" : NpyHeader.printable(name))
                    + "' is not " + RULE);
        }
        return name;
    }
}
