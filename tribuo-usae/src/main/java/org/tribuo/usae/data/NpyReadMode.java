package org.tribuo.usae.data;

import java.util.Locale;

/**
 * How {@link NpyArray} reads the data section of a .npy file.
 *
 * <p>{@link #PREAD} (the default) reads each row with a positional {@code FileChannel.read} into a
 * small per-thread buffer: nothing is mapped, so the process's resident set does not grow with the
 * data set (mapped pages count in RSS as RssFile until the kernel reclaims them). {@link #MMAP}
 * maps the file in 1 GiB regions and copies rows out of the mapping. Both return identical floats.
 * The default is chosen by the system property {@value #PROPERTY} ({@code pread} or {@code mmap}).
 */
public enum NpyReadMode {
    /** Memory-map the data section. */
    MMAP,
    /** Positional reads through the file channel; nothing mapped. */
    PREAD;

    /** System property that selects the default mode: {@code pread} or {@code mmap}. */
    public static final String PROPERTY = "usae.npyRead";

    /**
     * @return the mode named by {@value #PROPERTY}, or {@link #PREAD} when it is unset.
     * @throws IllegalArgumentException when the property holds anything else.
     */
    public static NpyReadMode fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return PREAD;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "pread" -> PREAD;
            case "mmap" -> MMAP;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be 'pread' or 'mmap', got '" + v + "'");
        };
    }
}
