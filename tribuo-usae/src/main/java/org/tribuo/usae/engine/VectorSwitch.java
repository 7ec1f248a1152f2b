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

    /** Decided once per JVM: the kernels are chosen by static final fields, which the JIT folds. */
    static final boolean ENABLED = decide(System.getProperty(PROPERTY),
            ModuleLayer.boot().findModule(MODULE).isPresent());

    private VectorSwitch() {
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
