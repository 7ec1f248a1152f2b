package org.tribuo.usae.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OLCUT's long boolean options take a value ({@code --no-labels true}); a bare {@code --no-labels}
 * would swallow the next argument as its value (so {@code --no-labels --json x} silently sets nothing).
 * This rewrites the named bare flags to {@code --flag true} before OLCUT parses the line.
 */
final class BareFlags {
    private BareFlags() {
    }

    /**
     * @param args  the command line.
     * @param flags the long boolean options, with their dashes (e.g. {@code --no-labels}).
     * @return the command line with {@code true} after every named flag not already followed by true/false.
     */
    static String[] expand(String[] args, Set<String> flags) {
        List<String> out = new ArrayList<>(args.length + flags.size());
        for (int i = 0; i < args.length; i++) {
            out.add(args[i]);
            boolean valued = i + 1 < args.length && args[i + 1].matches("(?i)true|false");
            if (flags.contains(args[i]) && !valued) {
                out.add("true");
            }
        }
        return out.toArray(String[]::new);
    }
}
