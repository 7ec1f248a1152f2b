package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ArgumentException;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.UsageException;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code usae} command line: {@code usae [--verbose] <command> [options]}. Errors print one line
 * naming the file, field or value at fault and exit with code 2; {@code --verbose} (anywhere on the
 * line, or the environment variable {@code USAE_DEBUG=1}) adds the stack trace.
 */
public final class Usae {
    /** A subcommand. */
    interface Command {
        /** @param args arguments after the command name. @param out standard output. */
        void run(String[] args, PrintStream out) throws Exception;

        /** @return one line for the command list. */
        String summary();
    }

    static final Map<String, Command> COMMANDS = new LinkedHashMap<>();
    /** The global flag that adds stack traces to errors. */
    static final String VERBOSE = "--verbose";

    static {
        COMMANDS.put("vision", new VisionCommand());
        COMMANDS.put("real", new RealCommand());
        COMMANDS.put("demo", new DemoCommand());
        COMMANDS.put("train", new TrainCommand());
        COMMANDS.put("eval", new EvalCommand());
        COMMANDS.put("analyze", new AnalyzeCommand());
        COMMANDS.put("report", new ReportCommand());
        COMMANDS.put("export", new ExportCommand());
        COMMANDS.put("import", new ImportCommand());
        COMMANDS.put("transfer", new TransferCommand());
        COMMANDS.put("example", new ExampleCommand());
        COMMANDS.put("info", new InfoCommand());
        COMMANDS.put("recipes", new RecipesCommand());
        COMMANDS.put("bench", new BenchCommand());
        COMMANDS.put("extract", new ExtractCommand());
        COMMANDS.put("visualize", new VisualizeCommand());
        COMMANDS.put("tfjs", new TfjsCommand());
    }

    private Usae() {
    }

    /** @param args command and options. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args command and options.
     * @param out standard output.
     * @param err standard error.
     * @return the exit code.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean verbose = "1".equals(System.getenv("USAE_DEBUG"));
        if (Arrays.asList(args).contains(VERBOSE)) {
            verbose = true;
            args = Arrays.stream(args).filter(a -> !a.equals(VERBOSE)).toArray(String[]::new);
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        Command cmd = COMMANDS.get(args[0]);
        if (cmd == null) {
            err.println("usae: unknown command '" + args[0] + "'. " + usage());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            cmd.run(rest, out);
            return 0;
        } catch (UsageException e) {
            out.println("usae " + args[0] + ": " + cmd.summary() + "\n" + e.getMessage());
            return 0;
        } catch (CliException | ArgumentException | PropertyException | IllegalArgumentException
                 | IllegalStateException | UncheckedIOException e) {
            err.println("usae " + args[0] + ": error: " + message(e));
            debug(e, err, verbose);
            return 2;
        } catch (Exception e) {
            err.println("usae " + args[0] + ": error: " + e.getClass().getSimpleName() + ": " + message(e));
            debug(e, err, verbose);
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("usae " + args[0] + ": error: out of Java heap (limit "
                    + Runtime.getRuntime().maxMemory() / (1L << 20) + " MiB); raise it, e.g. USAE_JAVA_OPTS=-Xmx24g");
            debug(e, err, verbose);
            return 2;
        } catch (StackOverflowError e) {
            err.println("usae " + args[0] + ": error: stack overflow (input nested too deeply?)");
            debug(e, err, verbose);
            return 2;
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        // OLCUT wraps postConfig failures; the innermost message names the field
        while (t.getCause() != null && (t.getMessage() == null || t.getCause() instanceof PropertyException)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        // one paragraph: some libraries put line breaks in their messages
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void debug(Throwable e, PrintStream err, boolean verbose) {
        if (verbose) {
            e.printStackTrace(err);
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("Usage: usae [--verbose] <command> [options]   (usae <command> --help for options;"
                + " --verbose adds stack traces to errors)\n\nCommands:\n");
        COMMANDS.forEach((name, c) -> sb.append(String.format("  %-8s %s%n", name, c.summary())));
        return sb.toString();
    }
}
