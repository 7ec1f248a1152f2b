package org.tribuo.usae.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's peak resident set size (Linux {@code VmHWM} in {@code /proc/self/status}): Java heap,
 * native buffers and ONNX Runtime's arenas together. Linux can reset the peak to the current RSS
 * ({@code 5 > /proc/self/clear_refs}), which gives each benchmark cell its own peak.
 */
final class PeakRss {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakRss() {
    }

    /** @return the peak RSS in bytes, empty where /proc is not readable (not Linux). */
    static OptionalLong read() {
        try {
            return parse(Files.readString(STATUS));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * @param status the text of /proc/self/status.
     * @return VmHWM in bytes (the file states kB), empty when the line is absent.
     */
    static OptionalLong parse(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]) * 1024L);
            }
        }
        return OptionalLong.empty();
    }

    /** @return true when the peak was reset to the current RSS; false where Linux refuses or /proc is absent. */
    static boolean reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
