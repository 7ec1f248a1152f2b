package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.tribuo.usae.bench.BenchOptions;
import org.tribuo.usae.bench.RecoveryBench;
import org.tribuo.usae.bench.ThroughputBench;
import org.tribuo.usae.data.OutputPaths;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code usae bench --recovery | --throughput}: the command-line adapter of the benchmark harness
 * ({@link RecoveryBench}: planted-concept recovery; {@link ThroughputBench}: training tokens/s per engine).
 */
final class BenchCommand implements Usae.Command {
    @Override
    public String summary() {
        return "benchmarks: --recovery (planted-concept recovery, R2, time per recipe) or --throughput (training tokens/s per engine)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        BenchOptions opts = new BenchOptions();
        // OLCUT booleans take a value; accept the bare flags --recovery and --throughput as well
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean bareRecovery = rest.remove("--recovery");
        boolean bareThroughput = rest.remove("--throughput");
        new ConfigurationManager(rest.toArray(String[]::new), opts, false);
        opts.recovery |= bareRecovery;
        opts.throughput |= bareThroughput;
        if (opts.recovery == opts.throughput) {
            throw new CliException("choose one benchmark: --recovery or --throughput (see usae bench --help)");
        }
        for (Path p : new Path[]{opts.output, opts.json, opts.benchmarksMd}) {
            if (p != null) {
                OutputPaths.requireWritableFile(p == opts.output ? "--output" : p == opts.json ? "--json" : "--benchmarks-md", p);
            }
        }
        if (opts.throughput) {
            ThroughputBench.run(opts, "usae bench " + String.join(" ", args), out);
        } else {
            RecoveryBench.run(opts, "./usae bench " + String.join(" ", args), out);
        }
    }
}
