package org.tribuo.usae.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OLCUT boolean options take a value ({@code --onnx true}); a bare {@code --onnx} would swallow the next
 * argument as its value (or fail when last). This turns each bare boolean flag into {@code flag true}.
 */
final class BareFlags {
    private BareFlags() {
    }

    /**
     * @param args  command-line arguments.
     * @param flags the boolean flags, e.g. {@code --onnx}.
     * @return the arguments with {@code true} after every flag that has no {@code true}/{@code false} value.
     */
    static String[] expand(String[] args, String... flags) {
        Set<String> bool = Set.of(flags);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out.add(args[i]);
            boolean valued = i + 1 < args.length && args[i + 1].matches("(?i)true|false");
            if (bool.contains(args[i]) && !valued) {
                out.add("true");
            }
        }
        return out.toArray(String[]::new);
    }
}
