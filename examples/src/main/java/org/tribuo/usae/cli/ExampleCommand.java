package org.tribuo.usae.cli;

import org.tribuo.usae.examples.ConceptFeaturesExample;
import org.tribuo.usae.examples.EncodeDecodeExample;
import org.tribuo.usae.examples.ProvenanceAuditExample;
import org.tribuo.usae.examples.ReportExample;
import org.tribuo.usae.examples.TrainExample;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code usae example <name> [args]}: runs one of the Java examples of {@code org.tribuo.usae.examples}. */
final class ExampleCommand implements Usae.Command {
    /** A main to run. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** @param usage the arguments. @param main the example. */
    record Entry(String usage, int minArgs, Main main) {
    }

    static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("train", new Entry("<output folder> [steps]", 1, TrainExample::main));
        EXAMPLES.put("encode", new Entry("<model.usae> <activations folder>", 2, EncodeDecodeExample::main));
        EXAMPLES.put("features", new Entry("<model.usae of the planted demo models>", 1, ConceptFeaturesExample::main));
        EXAMPLES.put("audit", new Entry("<output folder> [steps]", 1, ProvenanceAuditExample::main));
        EXAMPLES.put("report", new Entry("<model.usae> <activations folder> <report.html>", 3, ReportExample::main));
    }

    @Override
    public String summary() {
        return "run a Java example (" + String.join(", ", EXAMPLES.keySet()) + "; docs/examples.md)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Entry e = args.length == 0 ? null : EXAMPLES.get(args[0]);
        if (e == null) {
            StringBuilder sb = new StringBuilder("name an example: ");
            EXAMPLES.forEach((k, v) -> sb.append(k).append(' ').append(v.usage()).append("; "));
            throw new CliException(sb.substring(0, sb.length() - 2));
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (rest.length < e.minArgs()) {
            throw new CliException("usage: usae example " + args[0] + " " + e.usage());
        }
        e.main().run(rest);
    }
}
