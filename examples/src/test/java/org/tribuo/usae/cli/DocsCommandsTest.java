package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.bench.BenchOptions;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every {@code ./usae} command line written in the README, docs/ and BENCHMARKS.md names a command that exists and
 * only options that command declares, so a command copied from the docs is not refused for a renamed flag. (The
 * commands themselves are run by the command tests and the jobs' tests; this checks the text.)
 */
class DocsCommandsTest {
    private static final Pattern COMMAND = Pattern.compile("\\./usae\\s+([a-z]+)(.*)");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w@-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\\w-])");
    /** Commands whose options class is not nested in the command. */
    private static final Map<String, Class<?>> OPTIONS = Map.of("train", TrainOptions.class, "bench", BenchOptions.class);
    /** Bare flags a command reads itself, outside its options class. */
    private static final Map<String, List<String>> BARE = Map.of("bench", List.of("--recovery", "--throughput"));

    @Test
    void everyDocumentedCommandAndFlagExists() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("../README.md"), Path.of("../BENCHMARKS.md")));
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (Path f : files) {
            String current = null;
            boolean fence = false;
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("```")) {
                    fence = !fence;
                    current = null;
                    continue;
                }
                String code = fence && line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                Matcher m = COMMAND.matcher(code);
                String command;
                String flagsText;
                if (m.find()) {
                    command = m.group(1);
                    flagsText = m.group(2);
                    if (!fence) {          // inline: `./usae ... ` ends at its closing backtick
                        int tick = flagsText.indexOf('`');
                        flagsText = tick < 0 ? flagsText : flagsText.substring(0, tick);
                    }
                    if (!Usae.COMMANDS.containsKey(command)) {
                        bad.add(f.getFileName() + ": unknown command './usae " + command + "' in: " + line.strip());
                        current = null;
                        continue;
                    }
                    current = fence ? command : null;
                    checked++;
                } else if (fence && current != null && line.startsWith(" ") && line.strip().startsWith("[")) {
                    command = current;     // a continuation line of the command's options
                    flagsText = code;
                } else {
                    current = null;
                    continue;
                }
                Set<String> known = flags(command);
                Matcher fm = FLAG.matcher(flagsText);
                while (fm.find()) {
                    String flag = fm.group(1);
                    if (!known.contains(flag)) {
                        bad.add(f.getFileName() + ": './usae " + command + "' has no option " + flag + " (in: "
                                + line.strip() + ")");
                    }
                }
            }
        }
        System.out.println("checked " + checked + " documented command lines");
        assertEquals(List.of(), bad);
    }

    /** The long and short flags a command's options declare, nested options included, plus the global ones. */
    static Set<String> flags(String command) {
        Set<String> out = new HashSet<>(List.of("--verbose", "--help", "-h", "-c", "--config"));
        out.addAll(BARE.getOrDefault(command, List.of()));
        Usae.Command cmd = Usae.COMMANDS.get(command);
        List<Class<?>> classes = new ArrayList<>();
        if (OPTIONS.containsKey(command)) {
            classes.add(OPTIONS.get(command));
        }
        for (Class<?> c : cmd.getClass().getDeclaredClasses()) {
            if (Options.class.isAssignableFrom(c)) {
                classes.add(c);
            }
        }
        for (Class<?> c : classes) {
            collect(c, out, new HashSet<>());
        }
        return out;
    }

    private static void collect(Class<?> c, Set<String> out, Set<Class<?>> seen) {
        if (!seen.add(c)) {
            return;
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null) {
                    out.add("--" + o.longName());
                    if (o.charName() != Option.EMPTY_CHAR) {
                        out.add("-" + o.charName());
                    }
                }
                if (Options.class.isAssignableFrom(f.getType())) {
                    collect(f.getType(), out, seen);
                }
            }
        }
    }
}
