package org.tribuo.usae.engine;

import java.util.Locale;

/**
 * Whether the row dot kernels use the JDK Vector API ({@code jdk.incubator.vector}). It is used when the
 * module is in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}) unless
 * the system property {@code usae.vector} is {@code false}; without the module the scalar kernels run, and no
 * class that names an incubator type is ever loaded ({@link RowDots} reaches {@link VectorDots} only when
 * {@link #ENABLED}).
 */
final class VectorSwitch {
    /** The system property that turns the vector kernels off ({@code false}) or leaves them on ({@code true}). */
    static final String PROPERTY = "usae.vector";
    static final String MODULE = "jdk.incubator.vector";

    /** What is wrong with the property's value, or null: reported by {@link #requireValid}, not at class init. */
    static final String PROBLEM = problem(System.getProperty(PROPERTY));

    /** Decided once per JVM: the kernels are chosen by static final fields, which the JIT folds. */
    static final boolean ENABLED = PROBLEM == null && decide(System.getProperty(PROPERTY),
            ModuleLayer.boot().findModule(MODULE).isPresent());

    private VectorSwitch() {
    }

    /**
     * Called where an engine is made, so a bad value is a clear error there (an exception in a static
     * initializer would surface as an ExceptionInInitializerError wherever the kernels are first used).
     * @throws IllegalArgumentException naming the property and its value when it is not true or false.
     */
    static void requireValid() {
        if (PROBLEM != null) {
            throw new IllegalArgumentException(PROBLEM);
        }
    }

    /** @return the error for a value of {@value #PROPERTY} other than null, true or false, else null. */
    static String problem(String property) {
        try {
            decide(property, false);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * @param property the value of {@value #PROPERTY}: null (not set), "true" or "false" (any case).
     * @param modulePresent whether {@value #MODULE} is in the boot layer.
     * @return true when the vector kernels should run: the module is present and the property is not false.
     * @throws IllegalArgumentException when the property is set to anything but true or false.
     */
    static boolean decide(String property, boolean modulePresent) {
        boolean wanted = true;
        if (property != null) {
            String p = property.trim().toLowerCase(Locale.ROOT);
            if (p.equals("false")) {
                wanted = false;
            } else if (!p.equals("true")) {
                throw new IllegalArgumentException("system property " + PROPERTY + " must be true or false, got '"
                        + property + "'");
            }
        }
        return wanted && modulePresent;
    }
}
